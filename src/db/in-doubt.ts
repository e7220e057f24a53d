import type { Db } from './client.js';
import { isDatabaseUnavailable } from './errors.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface InDoubtOptions {
  attempts?: number;
  delayMs?: number;
}

/**
 * The outcome of a change is in doubt after `err` (a lost connection): asks `recover`, once
 * the database answers again, what the change did. Its result stands; null (it did not land)
 * or a database that never answers within the attempts leaves `err` standing, as does any
 * other failure of `recover`.
 */
async function resolveDoubt<T>(
  err: unknown,
  recover: () => Promise<T | null>,
  options: InDoubtOptions,
): Promise<T> {
  const attempts = options.attempts ?? 20;
  for (let i = 0; i < attempts; i++) {
    try {
      const landed = await recover();
      if (landed === null) throw err;
      return landed;
    } catch (checkErr) {
      if (checkErr === err || !isDatabaseUnavailable(checkErr)) throw err;
      await sleep(options.delayMs ?? 500);
    }
  }
  throw err;
}

/**
 * Runs `work` in a transaction. If COMMIT fails on a lost connection, the outcome is in
 * doubt; rather than answer an error for a change that may be durable (CONTRACT §3 rule 9),
 * ask the database, once it answers again, whether the change landed (`committed`).
 * Only when it never answers does the original error stand.
 */
export async function transactionResolvingDoubt<T>(
  db: Db,
  work: (tx: Db) => Promise<T>,
  committed: () => Promise<boolean>,
  options: InDoubtOptions = {},
): Promise<T> {
  let result: T | undefined;
  // Once the work has returned, only COMMIT (and drizzle's ROLLBACK after a failed COMMIT,
  // whose error is the one thrown) can fail: a lost connection then leaves the outcome unknown.
  let workDone = false;
  try {
    await db.transaction(async (tx) => {
      result = await work(tx as unknown as Db);
      workDone = true;
    });
    return result as T;
  } catch (err) {
    if (!workDone || !isDatabaseUnavailable(err)) throw err;
    // Boxed, so that a work whose result is null is not mistaken for "did not land".
    const landed = await resolveDoubt(err, async () => ((await committed()) ? { result } : null), options);
    return landed.result as T;
  }
}

/**
 * One statement whose outcome may be in doubt: a connection lost while it ran may have lost
 * only its acknowledgement. Once the database answers again, `recover` says what it did:
 * the result it would have returned, or null when it did not land (then the error stands).
 */
export async function statementResolvingDoubt<T>(
  work: () => Promise<T>,
  recover: () => Promise<T | null>,
  options: InDoubtOptions = {},
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!isDatabaseUnavailable(err)) throw err;
    return resolveDoubt(err, recover, options);
  }
}
