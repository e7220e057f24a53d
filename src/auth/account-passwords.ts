// An account's consent-page password (CONTRACT §5), set through the admin API: stored only as a
// slow hash, never logged or recorded. The caller records its audit entry (an action such as
// `account.password_changed`, without the value) in the transaction it passes.
import type { Db } from '../db/client.js';
import type { AccountsRepository } from './accounts-repository.js';
import { hashSecret } from './secrets.js';

export function createAccountPasswords(deps: { accounts: AccountsRepository }) {
  const { accounts } = deps;

  /**
   * The password's scrypt hash, computed before any transaction so no connection waits on it;
   * then `store` writes it (in the caller's transaction).
   */
  async function hash(password: string): Promise<string> {
    return hashSecret(password);
  }

  /**
   * Sets the account's password; false when there is no such account (nothing changed). The
   * old password stops working at once on the consent page; tokens already issued are kept.
   */
  async function setPassword(accountId: string, password: string, tx?: Db): Promise<boolean> {
    return accounts.setPasswordHash(accountId, await hash(password), tx);
  }

  return { hash, setPassword };
}

export type AccountPasswords = ReturnType<typeof createAccountPasswords>;
