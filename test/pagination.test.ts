import { describe, expect, it } from 'vitest';
import { encodeCursor, readCursor, readTimeKey, timeKeyCursor, toPage } from '../src/pagination.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID = '9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e';

describe('(time, id) cursors', () => {
  it('read back what they write, from a Date or epoch milliseconds', () => {
    const at = new Date('2026-04-28T10:00:00.250Z');
    const cursor = encodeCursor(timeKeyCursor(at, ID));
    expect(readCursor(cursor, (p) => readTimeKey(p, UUID))).toEqual({ at: at.getTime(), id: ID });
    expect(timeKeyCursor(1777370400250.5, ID)).toEqual({ t: '1777370400250.5', id: ID });
  });

  it('refuse a payload without a finite time, without an id, or with an id of another shape', () => {
    expect(readTimeKey({ t: 'x', id: ID })).toBeNull();
    expect(readTimeKey({ t: '', id: ID })).toBeNull();
    expect(readTimeKey({ id: ID })).toBeNull();
    expect(readTimeKey({ t: '1' })).toBeNull();
    expect(readTimeKey({ t: '1', id: 'evt_1' }, UUID)).toBeNull();
    expect(readTimeKey({ t: '1', id: 'evt_1' })).toEqual({ at: 1, id: 'evt_1' });
    const bad = encodeCursor({ t: '1', id: 'y' });
    expect(() => readCursor(bad, (p) => readTimeKey(p, UUID))).toThrow('The cursor is invalid.');
  });

  it('page with toPage: the last row of a full page is where the next one starts', () => {
    const rows = [1, 2, 3].map((n) => ({ id: `r${n}`, createdAt: new Date(n * 1000) }));
    const page = toPage(
      rows,
      2,
      (r) => r.id,
      (r) => timeKeyCursor(r.createdAt, r.id),
    );
    expect(page.data).toEqual(['r1', 'r2']);
    expect(readCursor(page.next_cursor ?? undefined, (p) => readTimeKey(p))).toEqual({ at: 2000, id: 'r2' });
    expect(
      toPage(
        rows.slice(0, 2),
        2,
        (r) => r.id,
        (r) => timeKeyCursor(r.createdAt, r.id),
      ).next_cursor,
    ).toBeNull();
  });
});
