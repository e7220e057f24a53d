// SPEC §3 rule 1: enrollment expiration. Pure UTC arithmetic; never uses the machine's time zone.

const MS_PER_SECOND = 1000;

function assertValidDate(d: Date, name: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new RangeError(`${name} must be a valid Date`);
  }
}

/** SPEC §3 rule 1. enrolledAt is the enrollment instant. */
export function computeExpiration(
  enrolledAt: Date,
  durationDays: number | null,
  endsAt: Date | null,
): Date | null {
  assertValidDate(enrolledAt, 'enrolledAt');
  if (endsAt !== null) assertValidDate(endsAt, 'endsAt');

  if (durationDays === null) {
    // Copy so callers can't mutate the promotion's Date through the result.
    return endsAt === null ? null : new Date(endsAt.getTime());
  }
  if (!Number.isSafeInteger(durationDays) || durationDays < 1) {
    throw new RangeError(`durationDays must be an integer >= 1, got ${durationDays}`);
  }

  // setUTCFullYear rather than Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const byDuration = new Date(0);
  byDuration.setUTCFullYear(
    enrolledAt.getUTCFullYear(),
    enrolledAt.getUTCMonth(),
    // Day overflow rolls into following months/years, leap days included.
    enrolledAt.getUTCDate() + durationDays - 1,
  );
  byDuration.setUTCHours(23, 59, 59, 0);
  if (Number.isNaN(byDuration.getTime())) {
    throw new RangeError(`durationDays ${durationDays} is out of the representable date range`);
  }

  if (endsAt !== null && endsAt.getTime() < byDuration.getTime()) {
    return new Date(endsAt.getTime());
  }
  return byDuration;
}

/** Expired strictly after the expiration instant: 23:59:59 itself is still live. */
export function isExpired(expiration: Date | null, now: Date): boolean {
  return expiration !== null && now.getTime() > expiration.getTime();
}

/** Drops milliseconds (floor, so a result is never later than the input). */
export function truncateToSecond(d: Date): Date {
  assertValidDate(d, 'd');
  return new Date(Math.floor(d.getTime() / MS_PER_SECOND) * MS_PER_SECOND);
}

/** RFC 3339 in UTC with whole seconds, e.g. `2026-07-26T23:59:59Z`. */
export function toRfc3339(d: Date): string {
  // toISOString always emits `.sss`; dropping it truncates instead of rounding.
  return truncateToSecond(d)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

/** toRfc3339 for an optional instant: null stays null. */
export const toRfc3339OrNull = (d: Date | null): string | null => (d ? toRfc3339(d) : null);
