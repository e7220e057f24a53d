// Instants on the wire (CONTRACT §4): RFC 3339 in UTC with a `Z` and whole seconds, in
// TypeScript and, for statements that build a response in SQL, as a SQL fragment. Pure UTC
// arithmetic: never the machine's time zone.
import { type SQL, sql } from 'drizzle-orm';

const MS_PER_SECOND = 1000;

export function assertValidDate(d: Date, name: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new RangeError(`${name} must be a valid Date`);
  }
}

/** Drops milliseconds (floor, so a result is never later than the input). */
export function truncateToSecond(d: Date): Date {
  assertValidDate(d, 'd');
  return new Date(Math.floor(d.getTime() / MS_PER_SECOND) * MS_PER_SECOND);
}

/** RFC 3339 in UTC with whole seconds, e.g. `2026-07-26T23:59:59Z` (truncated, never rounded). */
export function toRfc3339(d: Date): string {
  return truncateToSecond(d)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

/** toRfc3339 for an optional instant: null stays null. */
export function toRfc3339OrNull(d: Date | null): string | null {
  return d ? toRfc3339(d) : null;
}

/** toRfc3339 in SQL over a timestamptz expression (to_char drops the fraction: truncation). */
export function rfc3339Sql(instant: SQL): SQL {
  return sql`to_char(${instant} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
}
