// CONTRACT §3 rule 2: monthly billing cycles anchored on the enrollment instant, as the
// TypeScript reference (pure UTC arithmetic) and the SQL fragment of the statements that report
// an enrollment in the same round trip; test/rules/billing-cycle-sql.test.ts holds them equal.
import { type SQL, sql } from 'drizzle-orm';
import { assertValidDate } from './time.js';

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  const d = new Date(0);
  d.setUTCFullYear(year, month + 1, 0);
  return d.getUTCDate();
}

/** Start of cycle k (k >= 0): anchor + k calendar months, day clamped to the month's length, time of day kept. */
export function cycleStart(anchor: Date, k: number): Date {
  assertValidDate(anchor, 'anchor');
  if (!Number.isSafeInteger(k) || k < 0) {
    throw new RangeError(`cycle index must be an integer >= 0, got ${k}`);
  }
  // Always from the anchor, never from the previous (possibly clamped) cycle: Jan 31 → Feb 28 → Mar 31.
  const monthIndex = anchor.getUTCMonth() + k;
  const year = anchor.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonth(year, month));

  // setUTCFullYear rather than Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const start = new Date(0);
  start.setUTCFullYear(year, month, day);
  start.setUTCHours(
    anchor.getUTCHours(),
    anchor.getUTCMinutes(),
    anchor.getUTCSeconds(),
    anchor.getUTCMilliseconds(),
  );
  if (Number.isNaN(start.getTime())) {
    throw new RangeError(`cycle ${k} is out of the representable date range`);
  }
  return start;
}

/** The cycle containing `at` (at >= anchor): {index, start, end} where end = start of the next cycle (exclusive). For at < anchor return cycle 0. */
export function cycleAt(anchor: Date, at: Date): { index: number; start: Date; end: Date } {
  assertValidDate(anchor, 'anchor');
  assertValidDate(at, 'at');

  let index = 0;
  if (at.getTime() >= anchor.getTime()) {
    // Cycle k starts inside the k-th calendar month after the anchor's, so the month
    // difference is either the answer or one too many (when `at` precedes that month's start).
    index = (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (at.getUTCMonth() - anchor.getUTCMonth());
    while (index > 0 && cycleStart(anchor, index).getTime() > at.getTime()) index--;
  }
  return { index, start: cycleStart(anchor, index), end: cycleStart(anchor, index + 1) };
}

/** The newest usage counter an enrollment has, as its read queries return it. */
export interface UsageCounter {
  enrolled_at: Date;
  usage_cycle_start: Date | null;
  usage_used: number | null;
}

/** Usage of the cycle containing `now`; counters of older cycles do not count. */
export function usageNow(counter: UsageCounter, now: Date): { used: number; start: Date; end: Date } {
  const cycle = cycleAt(counter.enrolled_at, now);
  const used =
    counter.usage_cycle_start && counter.usage_cycle_start.getTime() === cycle.start.getTime()
      ? (counter.usage_used ?? 0)
      : 0;
  return { used, start: cycle.start, end: cycle.end };
}

/**
 * cycleAt in SQL: a subquery giving `cycle_start` and `cycle_end` of the cycle that contains
 * `at` (cycle 0 before the anchor). PostgreSQL's month arithmetic on a timestamp clamps the day
 * to the month's length and keeps the time of day, and each cycle is counted from the anchor,
 * never from the previous cycle, exactly as cycleStart does.
 */
export function billingCycleSql(anchor: SQL, at: SQL): SQL {
  const a = sql`(${anchor} at time zone 'UTC')`;
  const t = sql`(${at} at time zone 'UTC')`;
  const startOf = (k: SQL) => sql`((${a} + make_interval(months => ${k})) at time zone 'UTC')`;
  return sql`(
    select ${startOf(sql`k.k`)} as cycle_start, ${startOf(sql`k.k + 1`)} as cycle_end
    from (
      select greatest(0, m.k0 - case when ${startOf(sql`m.k0`)} > ${at} then 1 else 0 end) as k
      from (
        select ((extract(year from ${t}) - extract(year from ${a})) * 12
                + extract(month from ${t}) - extract(month from ${a}))::int as k0
      ) m
    ) k
  )`;
}
