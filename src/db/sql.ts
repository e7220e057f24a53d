import { type SQL, sql } from 'drizzle-orm';

/**
 * Raw queries read instants as epoch milliseconds (float8): both drivers parse that to a
 * number, whereas drizzle leaves raw timestamptz as driver-specific strings.
 */
export const epochMs = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;

export const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));

/** A raw query's jsonb object, parsed when the driver hands it over as text. */
export const jsonRecord = (v: unknown): Record<string, unknown> =>
  (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;

/**
 * Batch statements' arrays as PostgreSQL array literals, built here: pg's own serializer quotes
 * and escapes every element through two regular expressions, a hot cost at 500 events a batch.
 * Each travels as one text parameter, cast in the statement (`$1::int[]`).
 */
export const intArray = (values: readonly number[]): string => `{${values.join(',')}}`;

/** Integers or NULL elements: a null is the bare `NULL`. */
export const nullableIntArray = (values: readonly (number | null)[]): string =>
  `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;

/** UUIDs are hex digits and dashes: nothing to quote. Only for values already known to be UUIDs. */
export const uuidArray = (values: readonly string[]): string => `{${values.join(',')}}`;

const quoted = (value: string) =>
  value.includes('"') || value.includes('\\') ? `"${value.replace(/["\\]/g, '\\$&')}"` : `"${value}"`;

/** Any text: every element double-quoted (so `NULL`, commas and braces stay text). */
export const textArray = (values: readonly string[]): string => `{${values.map(quoted).join(',')}}`;

/** Text or NULL elements: a null is the bare `NULL`, every string double-quoted as in textArray. */
export const nullableTextArray = (values: readonly (string | null)[]): string =>
  `{${values.map((v) => (v === null ? 'NULL' : quoted(v))).join(',')}}`;

/** An instant sent as epoch milliseconds (bigint), back to timestamptz, exactly. */
export const fromEpochMs = (ms: SQL) => sql`(timestamptz 'epoch' + ${ms} * interval '1 millisecond')`;

/**
 * A batch statement's requests as rows: `unnest($a::type[], …) with ordinality as alias(a, …, ord)`,
 * one array placeholder per column (named as the column, camelCased by the caller), so the i-th
 * element of every array is the i-th request and `ord` (1-based) takes each row back to it.
 */
export function unnestRequests(
  alias: string,
  columns: ReadonlyArray<readonly [column: string, placeholder: string, type: string]>,
): SQL {
  const arrays = sql.join(
    columns.map(([, placeholder, type]) => sql`${sql.placeholder(placeholder)}::${sql.raw(type)}[]`),
    sql`, `,
  );
  const names = [...columns.map(([column]) => column), 'ord'].join(', ');
  return sql`unnest(${arrays}) with ordinality as ${sql.raw(alias)}(${sql.raw(names)})`;
}
