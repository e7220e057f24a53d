// SPEC §3 rule 2: monthly billing cycles anchored on the enrollment instant. Pure UTC arithmetic.

function assertValidDate(d: Date, name: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new RangeError(`${name} must be a valid Date`);
  }
}

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
