import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newEventId, timeOrderedUuid } from '../../src/db/ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// Instants from 1970 to 10889 (48 bits of milliseconds).
const instant = fc.integer({ min: 0, max: 2 ** 48 - 1 });

describe('time-ordered keys (src/db/ids.ts)', () => {
  it('timeOrderedUuid is a UUID v7 carrying the instant in its first 48 bits', () => {
    expect(timeOrderedUuid(Date.UTC(2026, 10, 28, 8, 40))).toMatch(/^01a2214f-af00-7/);
    fc.assert(
      fc.property(instant, (ms) => {
        const id = timeOrderedUuid(ms);
        expect(id).toMatch(UUID_V7);
        expect(Number.parseInt(id.replace('-', '').slice(0, 12), 16)).toBe(ms);
      }),
    );
  });

  it('sorts by instant, as text and as PostgreSQL compares uuids (bytewise)', () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        fc.pre(a !== b);
        const [x, y] = [timeOrderedUuid(a), timeOrderedUuid(b)];
        expect(x < y).toBe(a < b);
        const [ex, ey] = [newEventId(a), newEventId(b)];
        expect(ex < ey).toBe(a < b);
      }),
    );
  });

  it('newEventId is evt_ + 24 alphanumerics: 12 hex digits of the instant, 12 random', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = newEventId(1_800_000_000_000);
      expect(id).toMatch(/^evt_01a3185c5000[A-Za-z0-9]{12}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(10_000);
    expect(newEventId()).toMatch(/^evt_[A-Za-z0-9]{24}$/);
  });
});
