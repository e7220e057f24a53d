import { type SQL, sql } from 'drizzle-orm';

/**
 * Raw queries read instants as epoch milliseconds (float8): both drivers parse that to a
 * number, whereas drizzle leaves raw timestamptz as driver-specific strings.
 */
export const epochMs = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;

export const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));

/**
 * SPEC §3 rule 10: an enrollment's effective expiration is the earlier of its own and its
 * promotion's current `ends_at` (LEAST skips nulls: null only when both are). Every query that
 * judges expiry uses this one expression, over `e` (enrollments) and `p` (promotions).
 */
export const EFFECTIVE_EXPIRES_AT = sql.raw('least(e.expires_at, p.ends_at)');
