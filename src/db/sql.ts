import { type SQL, sql } from 'drizzle-orm';

/**
 * Raw queries read instants as epoch milliseconds (float8): both drivers parse that to a
 * number, whereas drizzle leaves raw timestamptz as driver-specific strings.
 */
export const epochMs = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;

export const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));
