import { z } from 'zod';
import { ERRORS } from './errors.js';

/**
 * Keyset pagination, the one way every list endpoint pages: `?limit=` (1–100, default 25) and
 * an opaque `?cursor=` in, `{data, next_cursor}` out. A cursor is a small object of strings
 * (the last row's sort key), sent as base64url JSON; each list says how to read it back, and
 * one that does not read back is the same 400 everywhere.
 */

export const MAX_PAGE_SIZE = 100;

/** The query every list accepts; extend it with the list's own filters. */
export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
  cursor: z.string().max(500).optional(),
});

/** The response schema of a page of `item`. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next_cursor: z.string().nullable() });

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export type CursorPayload = Record<string, string>;

export function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** The payload of a cursor made by encodeCursor; null for anything else. */
function decodePayload(cursor: string): CursorPayload | null {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    if (!Object.values(value).every((v) => typeof v === 'string')) return null;
    return value as CursorPayload;
  } catch {
    return null;
  }
}

/**
 * Where a page starts: undefined without a cursor, else what `read` makes of its payload.
 * `read` returns null for a payload this list did not make; then 400 invalid_request
 * (`source.parameter: cursor`).
 */
export function readCursor<After>(
  cursor: string | undefined,
  read: (payload: CursorPayload) => After | null,
): After | undefined {
  if (cursor === undefined) return undefined;
  const payload = decodePayload(cursor);
  const after = payload ? read(payload) : null;
  if (after === null) throw ERRORS.invalidCursor();
  return after;
}

/**
 * A (time, id) keyset position, for lists ordered by an instant and then the id (either
 * direction): the last row's instant in epoch milliseconds and its id.
 */
export interface TimeKey {
  at: number;
  id: string;
}

/** The cursor payload of a (time, id) position. */
export function timeKeyCursor(at: Date | number, id: string): CursorPayload {
  return { t: String(typeof at === 'number' ? at : at.getTime()), id };
}

/** A (time, id) payload read back for readCursor; null unless its id matches `idPattern` (when given). */
export function readTimeKey(payload: CursorPayload, idPattern?: RegExp): TimeKey | null {
  const { t, id } = payload;
  const at = Number(t);
  if (!t || !Number.isFinite(at) || id === undefined) return null;
  if (idPattern && !idPattern.test(id)) return null;
  return { at, id };
}

/** Where a (time, id) list starts: its timeKeyCursor read back; 400 unless the id matches `idPattern`. */
export const readTimeKeyCursor = (cursor: string | undefined, idPattern?: RegExp): TimeKey | undefined =>
  readCursor(cursor, (payload) => readTimeKey(payload, idPattern));

/** The cursor of a list ordered by id: the last row's id. */
export const afterIdCursor = (row: { id: string }): CursorPayload => ({ after: row.id });

/** Where a list ordered by id starts (afterIdCursor read back); 400 unless the id matches `idPattern`. */
export const readAfterId = (cursor: string | undefined, idPattern?: RegExp): string | undefined =>
  readCursor(cursor, (c) =>
    c.after !== undefined && (!idPattern || idPattern.test(c.after)) ? c.after : null,
  );

/**
 * A page from rows fetched with `limit + 1` (the extra row only tells that there is more):
 * the first `limit` rows as resources, and the cursor of the last one when more follow.
 */
export function toPage<Row, T>(
  rows: readonly Row[],
  limit: number,
  toResource: (row: Row) => T,
  cursorOf: (row: Row) => CursorPayload,
): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(toResource),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}
