import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { findOne, insertUnlessTaken, sameEmail, updateOne } from '../db/rows.js';
import { accounts } from '../db/schema.js';

export type AccountRow = typeof accounts.$inferSelect;

export function createAccountsRepository(db: Db) {
  /**
   * undefined when the email (case-insensitively) or the external id is taken; the unique
   * indexes decide (takenBy says which).
   */
  async function insert(row: typeof accounts.$inferInsert, tx: Db = db): Promise<AccountRow | undefined> {
    return insertUnlessTaken(tx, accounts, row);
  }

  async function findById(id: string, tx: Db = db): Promise<AccountRow | undefined> {
    return findOne(tx, accounts, eq(accounts.id, id));
  }

  /** A new password hash (the bootstrap file of CONTRACT §10, the admin API); false: no such account. */
  async function setPasswordHash(id: string, passwordHash: string, tx: Db = db): Promise<boolean> {
    const rows = await tx
      .update(accounts)
      .set({ passwordHash })
      .where(eq(accounts.id, id))
      .returning({ id: accounts.id });
    return rows.length > 0;
  }

  /** CONTRACT §12: the account the platform knows by this id (case-sensitive). */
  async function findByExternalId(externalId: string, tx: Db = db): Promise<AccountRow | undefined> {
    return findOne(tx, accounts, eq(accounts.externalId, externalId));
  }

  /**
   * CONTRACT §12: sets or clears the external id; undefined when no such account. Another
   * account holding it throws the unique violation (23505): the index decides.
   */
  async function setExternalId(
    id: string,
    externalId: string | null,
    tx: Db = db,
  ): Promise<AccountRow | undefined> {
    return updateOne(tx, accounts, { externalId }, eq(accounts.id, id));
  }

  /** Which unique field a refused insert collided with. */
  async function takenBy(
    row: { email: string; externalId?: string | null },
    tx: Db = db,
  ): Promise<'email' | 'external_id'> {
    return (await findByEmail(row.email, tx)) ? 'email' : 'external_id';
  }

  async function findByEmail(email: string, tx: Db = db): Promise<AccountRow | undefined> {
    return findOne(tx, accounts, sameEmail(accounts.email, email));
  }

  return { insert, findById, setPasswordHash, findByExternalId, setExternalId, takenBy, findByEmail };
}

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;
