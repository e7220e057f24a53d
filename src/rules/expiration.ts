// CONTRACT §3 rule 1 (an enrollment's own expiration) and rule 10 (a promotion's end binds
// it), each as the TypeScript reference and the SQL fragment the statements use; a property
// test on both backends holds every pair equal (test/rules/expiration-sql.test.ts).
import { type SQL, sql } from 'drizzle-orm';
import { assertValidDate } from './time.js';

/**
 * Rule 1 by duration alone: 23:59:59 UTC of the day `durationDays - 1` days after the
 * enrollment's UTC date; null without a duration. The promotion's end is applied at read
 * time (rule 10), so moving it later never lengthens an enrollment beyond this.
 */
export function ownExpiration(enrolledAt: Date, durationDays: number | null): Date | null {
  assertValidDate(enrolledAt, 'enrolledAt');
  if (durationDays === null) return null;
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
  return byDuration;
}

/** ownExpiration in SQL, over a timestamptz and an integer expression. */
export function ownExpirationSql(enrolledAt: SQL, durationDays: SQL): SQL {
  return sql`case when ${durationDays} is null then null
    else ((((${enrolledAt} at time zone 'UTC')::date + (${durationDays} - 1)) + time '23:59:59') at time zone 'UTC') end`;
}

/** Rule 10: the earlier of the enrollment's own expiration and the promotion's current end; null when both are. */
export function effectiveExpiration(own: Date | null, promotionEndsAt: Date | null): Date | null {
  if (own === null) return promotionEndsAt === null ? null : new Date(promotionEndsAt.getTime());
  if (promotionEndsAt !== null && promotionEndsAt.getTime() < own.getTime()) {
    return new Date(promotionEndsAt.getTime());
  }
  return new Date(own.getTime());
}

/** effectiveExpiration in SQL (LEAST skips nulls: null only when both are). */
export function effectiveExpirationSql(ownExpiresAt: SQL, promotionEndsAt: SQL): SQL {
  return sql`least(${ownExpiresAt}, ${promotionEndsAt})`;
}

/** Rule 1 as the contract states it: the duration's end, capped at the promotion's end. */
export function computeExpiration(
  enrolledAt: Date,
  durationDays: number | null,
  endsAt: Date | null,
): Date | null {
  if (endsAt !== null) assertValidDate(endsAt, 'endsAt');
  return effectiveExpiration(ownExpiration(enrolledAt, durationDays), endsAt);
}

/** Expired strictly after the expiration instant: 23:59:59 itself is still live; never without one. */
export function isExpired(expiration: Date | null, now: Date): boolean {
  return expiration !== null && now.getTime() > expiration.getTime();
}

/**
 * isExpired in SQL. Without an expiration it is null, which WHERE and CASE WHEN read as false;
 * left bare so a planner can still use an index on the compared column.
 */
export function isExpiredSql(expiration: SQL, now: SQL): SQL {
  return sql`(${expiration} < ${now})`;
}
