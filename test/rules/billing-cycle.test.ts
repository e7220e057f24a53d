import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cycleAt, cycleStart } from '../../src/rules/billing-cycle.js';

const d = (iso: string) => new Date(iso);
const iso = (x: Date) => x.toISOString();

describe('cycleStart', () => {
  it.each([
    // [anchor, k, expected start]
    // Jan 31 anchor, leap year 2028
    ['2028-01-31T10:00:00.000Z', 0, '2028-01-31T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 1, '2028-02-29T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 2, '2028-03-31T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 3, '2028-04-30T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 4, '2028-05-31T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 5, '2028-06-30T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 8, '2028-09-30T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 11, '2028-12-31T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 12, '2029-01-31T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 13, '2029-02-28T10:00:00.000Z'],
    // Jan 31 anchor, non-leap 2027
    ['2027-01-31T10:00:00.000Z', 1, '2027-02-28T10:00:00.000Z'],
    ['2027-01-31T10:00:00.000Z', 2, '2027-03-31T10:00:00.000Z'],
    ['2027-01-31T10:00:00.000Z', 3, '2027-04-30T10:00:00.000Z'],
    ['2027-01-31T10:00:00.000Z', 12, '2028-01-31T10:00:00.000Z'],
    ['2027-01-31T10:00:00.000Z', 13, '2028-02-29T10:00:00.000Z'],
    // Feb 29 anchor
    ['2028-02-29T10:00:00.000Z', 1, '2028-03-29T10:00:00.000Z'],
    ['2028-02-29T10:00:00.000Z', 2, '2028-04-29T10:00:00.000Z'],
    ['2028-02-29T10:00:00.000Z', 11, '2029-01-29T10:00:00.000Z'],
    ['2028-02-29T10:00:00.000Z', 12, '2029-02-28T10:00:00.000Z'],
    ['2028-02-29T10:00:00.000Z', 13, '2029-03-29T10:00:00.000Z'],
    ['2028-02-29T10:00:00.000Z', 48, '2032-02-29T10:00:00.000Z'],
    // Dec → Jan crosses the year
    ['2026-12-15T10:00:00.000Z', 1, '2027-01-15T10:00:00.000Z'],
    ['2026-12-15T10:00:00.000Z', 12, '2027-12-15T10:00:00.000Z'],
    ['2026-12-15T10:00:00.000Z', 13, '2028-01-15T10:00:00.000Z'],
    ['2026-12-31T10:00:00.000Z', 1, '2027-01-31T10:00:00.000Z'],
    ['2026-12-31T10:00:00.000Z', 2, '2027-02-28T10:00:00.000Z'],
    // 30-day clamping
    ['2027-08-31T10:00:00.000Z', 1, '2027-09-30T10:00:00.000Z'],
    ['2027-08-31T10:00:00.000Z', 2, '2027-10-31T10:00:00.000Z'],
    // Enrollment at 23:59:59: boundaries at 23:59:59 of the clamped days
    ['2027-01-31T23:59:59.000Z', 1, '2027-02-28T23:59:59.000Z'],
    ['2027-01-31T23:59:59.000Z', 2, '2027-03-31T23:59:59.000Z'],
    ['2027-01-31T23:59:59.000Z', 3, '2027-04-30T23:59:59.000Z'],
    // Milliseconds are kept too
    ['2027-01-31T00:00:00.123Z', 1, '2027-02-28T00:00:00.123Z'],
    // 2100 is not a leap year
    ['2100-01-31T10:00:00.000Z', 1, '2100-02-28T10:00:00.000Z'],
    ['2000-01-31T10:00:00.000Z', 1, '2000-02-29T10:00:00.000Z'],
  ])('anchor %s, k=%i → %s', (anchor, k, expected) => {
    expect(iso(cycleStart(d(anchor), k))).toBe(expected);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects k=%s with RangeError', (k) => {
    expect(() => cycleStart(d('2027-01-31T10:00:00Z'), k)).toThrow(RangeError);
  });

  it('rejects an invalid anchor with RangeError', () => {
    expect(() => cycleStart(new Date(Number.NaN), 0)).toThrow(RangeError);
  });
});

describe('cycleAt', () => {
  it.each([
    // [anchor, at, index, start, end]
    [
      '2027-01-31T10:00:00.000Z',
      '2027-01-31T10:00:00.000Z',
      0,
      '2027-01-31T10:00:00.000Z',
      '2027-02-28T10:00:00.000Z',
    ],
    // One ms before a boundary stays in the old cycle; exactly on it belongs to the new one.
    [
      '2027-01-31T10:00:00.000Z',
      '2027-02-28T09:59:59.999Z',
      0,
      '2027-01-31T10:00:00.000Z',
      '2027-02-28T10:00:00.000Z',
    ],
    [
      '2027-01-31T10:00:00.000Z',
      '2027-02-28T10:00:00.000Z',
      1,
      '2027-02-28T10:00:00.000Z',
      '2027-03-31T10:00:00.000Z',
    ],
    [
      '2027-01-31T10:00:00.000Z',
      '2027-03-01T00:00:00.000Z',
      1,
      '2027-02-28T10:00:00.000Z',
      '2027-03-31T10:00:00.000Z',
    ],
    [
      '2027-01-31T10:00:00.000Z',
      '2027-03-31T09:59:59.999Z',
      1,
      '2027-02-28T10:00:00.000Z',
      '2027-03-31T10:00:00.000Z',
    ],
    [
      '2027-01-31T10:00:00.000Z',
      '2027-03-31T10:00:00.000Z',
      2,
      '2027-03-31T10:00:00.000Z',
      '2027-04-30T10:00:00.000Z',
    ],
    [
      '2027-01-31T10:00:00.000Z',
      '2047-01-30T00:00:00.000Z',
      239,
      '2046-12-31T10:00:00.000Z',
      '2047-01-31T10:00:00.000Z',
    ],
    [
      '2027-01-31T10:00:00.000Z',
      '2047-01-31T10:00:00.000Z',
      240,
      '2047-01-31T10:00:00.000Z',
      '2047-02-28T10:00:00.000Z',
    ],
    // Before the anchor → cycle 0
    [
      '2027-01-31T10:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
      0,
      '2027-01-31T10:00:00.000Z',
      '2027-02-28T10:00:00.000Z',
    ],
    [
      '2027-01-31T10:00:00.000Z',
      '2020-06-15T00:00:00.000Z',
      0,
      '2027-01-31T10:00:00.000Z',
      '2027-02-28T10:00:00.000Z',
    ],
    // Leap-year Jan 31
    [
      '2028-01-31T10:00:00.000Z',
      '2028-02-29T09:59:59.999Z',
      0,
      '2028-01-31T10:00:00.000Z',
      '2028-02-29T10:00:00.000Z',
    ],
    [
      '2028-01-31T10:00:00.000Z',
      '2028-02-29T10:00:00.000Z',
      1,
      '2028-02-29T10:00:00.000Z',
      '2028-03-31T10:00:00.000Z',
    ],
    // Feb 29 anchor
    [
      '2028-02-29T10:00:00.000Z',
      '2029-02-28T09:59:59.999Z',
      11,
      '2029-01-29T10:00:00.000Z',
      '2029-02-28T10:00:00.000Z',
    ],
    [
      '2028-02-29T10:00:00.000Z',
      '2029-02-28T10:00:00.000Z',
      12,
      '2029-02-28T10:00:00.000Z',
      '2029-03-29T10:00:00.000Z',
    ],
    [
      '2028-02-29T10:00:00.000Z',
      '2029-03-01T00:00:00.000Z',
      12,
      '2029-02-28T10:00:00.000Z',
      '2029-03-29T10:00:00.000Z',
    ],
    // Dec 15 → Jan 15 next year
    [
      '2026-12-15T10:00:00.000Z',
      '2027-01-15T09:59:59.999Z',
      0,
      '2026-12-15T10:00:00.000Z',
      '2027-01-15T10:00:00.000Z',
    ],
    [
      '2026-12-15T10:00:00.000Z',
      '2027-01-15T10:00:00.000Z',
      1,
      '2027-01-15T10:00:00.000Z',
      '2027-02-15T10:00:00.000Z',
    ],
    [
      '2026-12-15T10:00:00.000Z',
      '2028-01-20T00:00:00.000Z',
      13,
      '2028-01-15T10:00:00.000Z',
      '2028-02-15T10:00:00.000Z',
    ],
    // Same calendar day as the boundary but earlier in the day → previous cycle
    [
      '2027-01-15T10:00:00.000Z',
      '2027-03-15T09:00:00.000Z',
      1,
      '2027-02-15T10:00:00.000Z',
      '2027-03-15T10:00:00.000Z',
    ],
    // Enrollment at 23:59:59
    [
      '2027-01-31T23:59:59.000Z',
      '2027-02-28T23:59:58.999Z',
      0,
      '2027-01-31T23:59:59.000Z',
      '2027-02-28T23:59:59.000Z',
    ],
    [
      '2027-01-31T23:59:59.000Z',
      '2027-02-28T23:59:59.000Z',
      1,
      '2027-02-28T23:59:59.000Z',
      '2027-03-31T23:59:59.000Z',
    ],
    [
      '2027-01-31T23:59:59.000Z',
      '2027-03-01T00:00:00.000Z',
      1,
      '2027-02-28T23:59:59.000Z',
      '2027-03-31T23:59:59.000Z',
    ],
    [
      '2027-01-31T23:59:59.000Z',
      '2027-04-30T23:59:59.000Z',
      3,
      '2027-04-30T23:59:59.000Z',
      '2027-05-31T23:59:59.000Z',
    ],
  ])('anchor %s, at %s → cycle %i', (anchor, at, index, start, end) => {
    const c = cycleAt(d(anchor), d(at));
    expect({ index: c.index, start: iso(c.start), end: iso(c.end) }).toEqual({ index, start, end });
  });

  it('rejects invalid dates with RangeError', () => {
    expect(() => cycleAt(new Date(Number.NaN), d('2027-01-01T00:00:00Z'))).toThrow(RangeError);
    expect(() => cycleAt(d('2027-01-01T00:00:00Z'), new Date(Number.NaN))).toThrow(RangeError);
  });

  it('does not depend on the process time zone', () => {
    const saved = process.env.TZ;
    const expected = JSON.stringify(cycleAt(d('2027-01-31T23:59:59Z'), d('2027-03-01T00:00:00Z')));
    try {
      for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Australia/Lord_Howe']) {
        process.env.TZ = tz; // Node re-reads TZ on change
        expect(JSON.stringify(cycleAt(d('2027-01-31T23:59:59Z'), d('2027-03-01T00:00:00Z')))).toBe(expected);
        expect(iso(cycleStart(d('2027-01-31T23:59:59Z'), 1))).toBe('2027-02-28T23:59:59.000Z');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

// ---- Reference model: deliberately naive, shares no code with the implementation. ----

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const monthLength = (y: number, m: number) => (m === 1 && isLeap(y) ? 29 : monthLengths[m]!);

/** Starts of cycles 0..n by stepping one month at a time from the anchor's month (clamping from the anchor's day). */
function modelStarts(anchor: Date, n: number): number[] {
  let y = anchor.getUTCFullYear();
  let m = anchor.getUTCMonth();
  const day = anchor.getUTCDate();
  const out: number[] = [];
  for (let k = 0; k <= n; k++) {
    out.push(
      Date.UTC(
        y,
        m,
        Math.min(day, monthLength(y, m)),
        anchor.getUTCHours(),
        anchor.getUTCMinutes(),
        anchor.getUTCSeconds(),
        anchor.getUTCMilliseconds(),
      ),
    );
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
  }
  return out;
}

/** Linear scan from cycle 0. */
function modelCycleAt(anchor: Date, at: Date): number {
  // 21 years of months is more than the 20-year `at` window can reach.
  const starts = modelStarts(anchor, 21 * 12 + 2);
  let k = 0;
  while (starts[k + 1]! <= at.getTime()) k++;
  return k;
}

const anchorArb = fc.date({
  min: d('2000-01-01T00:00:00Z'),
  max: d('2100-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});
const TWENTY_YEARS_MS = 20 * 366 * 86_400_000;

describe('billing cycle properties', () => {
  it('cycleAt matches the naive model for random anchors and `at` up to 20 years later', () => {
    fc.assert(
      fc.property(anchorArb, fc.integer({ min: 0, max: TWENTY_YEARS_MS }), (anchor, offset) => {
        const at = new Date(anchor.getTime() + offset);
        const c = cycleAt(anchor, at);
        expect(c.index).toBe(modelCycleAt(anchor, at));
        expect(c.start.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(at.getTime()).toBeLessThan(c.end.getTime());
        expect(c.start.getTime()).toBe(cycleStart(anchor, c.index).getTime());
        expect(c.end.getTime()).toBe(cycleStart(anchor, c.index + 1).getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it('boundaries: exactly on a cycle start → that cycle; 1 ms before → the previous one', () => {
    fc.assert(
      fc.property(anchorArb, fc.integer({ min: 1, max: 240 }), (anchor, k) => {
        const start = modelStarts(anchor, k)[k]!;
        expect(cycleAt(anchor, new Date(start)).index).toBe(k);
        expect(cycleAt(anchor, new Date(start - 1)).index).toBe(k - 1);
        expect(cycleAt(anchor, new Date(start + 1)).index).toBe(k);
      }),
      { numRuns: 1000 },
    );
  });

  it('cycleStart matches the model and starts are strictly increasing', () => {
    fc.assert(
      fc.property(anchorArb, (anchor) => {
        const model = modelStarts(anchor, 241);
        let prev = Number.NEGATIVE_INFINITY;
        for (let k = 0; k <= 241; k++) {
          const s = cycleStart(anchor, k).getTime();
          expect(s).toBe(model[k]);
          expect(s).toBeGreaterThan(prev);
          prev = s;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('any `at` before the anchor is in cycle 0', () => {
    fc.assert(
      fc.property(anchorArb, fc.integer({ min: 1, max: TWENTY_YEARS_MS }), (anchor, offset) => {
        const c = cycleAt(anchor, new Date(anchor.getTime() - offset));
        expect(c.index).toBe(0);
        expect(c.start.getTime()).toBe(anchor.getTime());
      }),
    );
  });
});
