import type { AccountRow, AccountsRepository } from '../auth/accounts-repository.js';
import { EMAIL_FAILURE_LIMIT, IP_FAILURE_LIMIT, type LoginThrottle } from '../auth/login-throttle.js';
import { sha256, verifySecret } from '../auth/secrets.js';

export type LoginResult =
  | { ok: true; account: AccountRow }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

const MAX_EMAIL_LENGTH = 320;

/** The consent page's sign-in: a slow hash compared in constant time, throttled per email and per IP. */
export function createLogin(deps: { accounts: AccountsRepository; throttle: LoginThrottle }) {
  const { accounts, throttle } = deps;
  async function attempt(input: { email: string; password: string; ip: string }): Promise<LoginResult> {
    // Keyed by a hash of the email, so unknown addresses are throttled alike and not stored.
    const emailKey = `email:${sha256(input.email.trim().toLowerCase())}`;
    const keys = [
      { key: emailKey, limit: EMAIL_FAILURE_LIMIT },
      { key: `ip:${input.ip}`, limit: IP_FAILURE_LIMIT },
    ];
    const retryAfterSeconds = await throttle.retryAfter(keys);
    if (retryAfterSeconds > 0) return { ok: false, reason: 'throttled', retryAfterSeconds };

    const email = input.email.trim();
    const account = email.length <= MAX_EMAIL_LENGTH ? await accounts.findByEmail(email) : undefined;
    // Always run the slow hash (a dummy one for unknown emails): timing reveals no accounts.
    const ok = await verifySecret(input.password, account?.passwordHash);
    if (!account || !ok) {
      await throttle.recordFailure(keys);
      return { ok: false, reason: 'invalid' };
    }
    await throttle.reset(emailKey);
    return { ok: true, account };
  }

  return { attempt };
}

export type Login = ReturnType<typeof createLogin>;
