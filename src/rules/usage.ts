// CONTRACT §3 rule 3 (the task limit: what part of a batch is accepted, and when usage is
// refused) and §8's usage thresholds. The capped increment has a SQL twin, the statement that
// moves a cycle's counter; test/rules/usage.test.ts holds the two equal.
import { type SQL, sql } from 'drizzle-orm';
import { isExpired } from './expiration.js';
import { toRfc3339 } from './time.js';

/** Usage without a limit is still capped by the int4 counter column. */
export const INT4_MAX = 2_147_483_647;

/** The usage share at which `usage.threshold_reached` fires (CONTRACT §8). */
export const USAGE_THRESHOLD = 0.8;

/** Of `tasks` more, how many fit under the limit when `used` are already counted. */
export function acceptedTasks(used: number, tasks: number, limit: number | null): number {
  return Math.min(tasks, Math.max((limit ?? INT4_MAX) - used, 0));
}

/** acceptedTasks in SQL, over integer expressions (limit null: the int4 cap). */
export function acceptedTasksSql(used: SQL, tasks: SQL, limit: SQL): SQL {
  return sql`least(${tasks}::int, greatest(coalesce(${limit}, ${INT4_MAX})::int - ${used}, 0))`;
}

/** null when usage at `at` may be recorded, else why not: after unenrollment or expiry it is refused entirely. */
export function usageRefusal(
  enrollment: { unenrolledAt: Date | null; expiresAt: Date | null },
  at: Date,
): string | null {
  if (enrollment.unenrolledAt)
    return `The enrollment was unenrolled on ${toRfc3339(enrollment.unenrolledAt)}.`;
  if (isExpired(enrollment.expiresAt, at)) {
    return `The enrollment expired on ${toRfc3339(enrollment.expiresAt!)}.`;
  }
  return null;
}

/** Which usage events a batch that moved the counter from `before` to `after` causes. */
export function usageCrossings(
  before: number,
  after: number,
  limit: number | null,
  rejected: number,
): Array<'usage.threshold_reached' | 'usage.limit_reached'> {
  if (limit === null) return [];
  const out: Array<'usage.threshold_reached' | 'usage.limit_reached'> = [];
  const threshold = Math.ceil(limit * USAGE_THRESHOLD);
  if (limit > 0 && before < threshold && after >= threshold) out.push('usage.threshold_reached');
  if ((before < limit && after >= limit) || rejected > 0) out.push('usage.limit_reached');
  return out;
}
