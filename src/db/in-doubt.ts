import type { Db } from './client.js';
import { isDatabaseUnavailable } from './errors.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

export interface InDoubtOptions {
  attempts?: number;
  delayMs?: number;
  /** How long the request waits for the answer (default: configureInDoubt's, 3 s). */
  withinMs?: number;
}

/** Where an outcome learnt after its request was answered is reported (a pino logger). */
interface InDoubtLog {
  warn(obj: object, msg: string): void;
}

const settings: { withinMs: number; horizonMs: number; log: InDoubtLog | null } = {
  withinMs: 3_000,
  horizonMs: 120_000,
  log: null,
};

/**
 * CONTRACT §7: a request waits at most `withinMs` (DB_IN_DOUBT_TIMEOUT_MS) to learn whether
 * its lost COMMIT landed; past that it answers 503 and the check goes on in the background
 * (until `horizonMs`), each outcome logged once the database answers again.
 */
export function configureInDoubt(options: { withinMs?: number; log?: InDoubtLog }): void {
  if (options.withinMs !== undefined) settings.withinMs = options.withinMs;
  if (options.log) settings.log = options.log;
}

type Check<T> = { answered: true; landed: T | null } | { answered: false };

/** Asks `recover` until the database answers (or `attempts` run out): what the change did. */
async function check<T>(
  recover: () => Promise<T | null>,
  attempts: number,
  delayMs: number,
): Promise<Check<T>> {
  for (let i = 0; i < attempts; i++) {
    try {
      return { answered: true, landed: await recover() };
    } catch (checkErr) {
      if (!isDatabaseUnavailable(checkErr)) throw checkErr;
      if (i < attempts - 1) await sleep(delayMs);
    }
  }
  return { answered: false };
}

/**
 * The outcome of a change is in doubt after `err` (a lost connection): asks `recover`, once
 * the database answers again, what the change did. Its result stands; null (it did not land)
 * or a database that does not answer within the bound leaves `err` standing (a 503), as does
 * any other failure of `recover`. Past the bound the check continues in the background and
 * its outcome is logged, so no in-doubt change is left unresolved.
 */
async function resolveDoubt<T>(
  err: unknown,
  recover: () => Promise<T | null>,
  options: InDoubtOptions,
): Promise<T> {
  const delayMs = options.delayMs ?? 250;
  const withinMs = options.withinMs ?? settings.withinMs;
  const attempts = options.attempts ?? Math.max(1, Math.ceil(settings.horizonMs / delayMs));
  const started = Date.now();
  const checking = check(recover, attempts, delayMs);
  const TIMED_OUT = Symbol('timed out');
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    checking.catch(() => ({ answered: false }) as const),
    new Promise<typeof TIMED_OUT>((r) => {
      timer = setTimeout(() => r(TIMED_OUT), withinMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome === TIMED_OUT) {
    const log = settings.log;
    log?.warn({ in_doubt: 'pending', within_ms: withinMs }, 'in-doubt change: answered 503, still checking');
    checking.then(
      (late) =>
        log?.warn(
          {
            in_doubt: late.answered ? (late.landed === null ? 'not_landed' : 'landed') : 'unknown',
            after_ms: Date.now() - started,
          },
          late.answered
            ? `in-doubt change resolved after its request was answered 503: it ${late.landed === null ? 'did not land' : 'landed'}`
            : 'in-doubt change unresolved: the database did not answer',
        ),
      (checkErr) => log?.warn({ in_doubt: 'unknown', err: checkErr }, 'in-doubt change: the check failed'),
    );
    throw err;
  }
  if (outcome.answered && outcome.landed !== null) return outcome.landed;
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
