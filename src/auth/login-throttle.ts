import { and, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { loginThrottle } from '../db/schema.js';

/** Bad passwords allowed per email in one window before the consent page refuses to check more. */
export const EMAIL_FAILURE_LIMIT = 5;
/** Per client IP the limit is higher: many people can share one address. */
export const IP_FAILURE_LIMIT = 20;
export const THROTTLE_WINDOW_SECONDS = 15 * 60;

export interface ThrottleKey {
  key: string;
  limit: number;
}

/**
 * Counts failed logins in the database, so every instance sees the same counters (CONTRACT §7).
 * The check happens before the password is verified; a few concurrent guesses may slip past
 * the limit, which a throttle can afford (it is not an invariant like the task limit).
 */
export function createLoginThrottle(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const windowMs = THROTTLE_WINDOW_SECONDS * 1000;

  /** Seconds until every key is under its limit again; 0 when none is over it. */
  async function retryAfter(keys: readonly ThrottleKey[]): Promise<number> {
    const now = clock.now().getTime();
    const rows = await db
      .select()
      .from(loginThrottle)
      .where(
        and(
          inArray(
            loginThrottle.key,
            keys.map((k) => k.key),
          ),
          gt(loginThrottle.windowStart, new Date(now - windowMs)),
        ),
      );
    let wait = 0;
    for (const row of rows) {
      const limit = keys.find((k) => k.key === row.key)?.limit ?? Number.POSITIVE_INFINITY;
      if (row.failures >= limit) {
        wait = Math.max(wait, Math.ceil((row.windowStart.getTime() + windowMs - now) / 1000));
      }
    }
    return wait;
  }

  /** One more failure for each key; a window that has passed starts again at 1. */
  async function recordFailure(keys: readonly ThrottleKey[]): Promise<void> {
    const now = clock.now();
    const cutoff = new Date(now.getTime() - windowMs);
    const stale = sql`${loginThrottle.windowStart} <= ${cutoff.toISOString()}::timestamptz`;
    for (const { key } of keys) {
      await db
        .insert(loginThrottle)
        .values({ key, failures: 1, windowStart: now })
        .onConflictDoUpdate({
          target: loginThrottle.key,
          set: {
            failures: sql`case when ${stale} then 1 else ${loginThrottle.failures} + 1 end`,
            windowStart: sql`case when ${stale} then excluded.window_start else ${loginThrottle.windowStart} end`,
          },
        });
    }
    // Old windows are dead weight; sweeping now and then keeps the table small.
    if (Math.random() < 1 / 64) await db.delete(loginThrottle).where(lte(loginThrottle.windowStart, cutoff));
  }

  /** A successful login clears that email's failures (never the IP's). */
  async function reset(key: string): Promise<void> {
    await db.delete(loginThrottle).where(inArray(loginThrottle.key, [key]));
  }

  return { retryAfter, recordFailure, reset };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
