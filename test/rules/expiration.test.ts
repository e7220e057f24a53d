import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeExpiration, isExpired } from '../../src/rules/expiration.js';
import { toRfc3339, truncateToSecond } from '../../src/rules/time.js';

const d = (iso: string) => new Date(iso);
const DAY_MS = 86_400_000;

describe('computeExpiration', () => {
  it.each([
    // [enrolledAt, durationDays, endsAt, expected]
    ['the contract example: 90 days', '2026-04-28T10:00:00Z', 90, null, '2026-07-26T23:59:59Z'],
    ['1 day ends the same day', '2026-04-28T10:00:00Z', 1, null, '2026-04-28T23:59:59Z'],
    ['1 day from midnight', '2026-04-28T00:00:00Z', 1, null, '2026-04-28T23:59:59Z'],
    ['1 day from the last second', '2026-04-28T23:59:59Z', 1, null, '2026-04-28T23:59:59Z'],
    ['2 days', '2026-04-28T10:00:00Z', 2, null, '2026-04-29T23:59:59Z'],
    ['leap day crossing (2028)', '2028-02-28T12:00:00Z', 2, null, '2028-02-29T23:59:59Z'],
    ['past the leap day', '2028-02-28T12:00:00Z', 3, null, '2028-03-01T23:59:59Z'],
    ['no leap day (2027)', '2027-02-28T12:00:00Z', 2, null, '2027-03-01T23:59:59Z'],
    ['year crossing', '2026-12-31T18:00:00Z', 2, null, '2027-01-01T23:59:59Z'],
    ['366 days of a leap year', '2028-01-01T00:00:00Z', 366, null, '2028-12-31T23:59:59Z'],
    ['365 days of a leap year', '2028-01-01T00:00:00Z', 365, null, '2028-12-30T23:59:59Z'],
    ['UTC date, not local date', '2026-04-28T23:30:00-05:00', 1, null, '2026-04-29T23:59:59Z'],
    ['ends_at earlier caps', '2026-04-28T10:00:00Z', 90, '2026-06-01T00:00:00Z', '2026-06-01T00:00:00Z'],
    [
      'ends_at later does not cap',
      '2026-04-28T10:00:00Z',
      90,
      '2026-12-31T00:00:00Z',
      '2026-07-26T23:59:59Z',
    ],
    ['ends_at equal', '2026-04-28T10:00:00Z', 90, '2026-07-26T23:59:59Z', '2026-07-26T23:59:59Z'],
    [
      'ends_at 1 ms earlier caps',
      '2026-04-28T10:00:00Z',
      90,
      '2026-07-26T23:59:58.999Z',
      '2026-07-26T23:59:58.999Z',
    ],
    ['ends_at alone', '2026-04-28T10:00:00Z', null, '2026-06-01T12:34:56Z', '2026-06-01T12:34:56Z'],
  ] as const)('%s', (_name, enrolledAt, days, endsAt, expected) => {
    const result = computeExpiration(d(enrolledAt), days, endsAt === null ? null : d(endsAt));
    expect(result?.toISOString()).toBe(d(expected).toISOString());
  });

  it('is null when both duration and ends_at are null', () => {
    expect(computeExpiration(d('2026-04-28T10:00:00Z'), null, null)).toBeNull();
  });

  it('returns a copy of ends_at, not the same object', () => {
    const endsAt = d('2026-06-01T00:00:00Z');
    expect(computeExpiration(d('2026-04-28T10:00:00Z'), null, endsAt)).not.toBe(endsAt);
    expect(computeExpiration(d('2026-04-28T10:00:00Z'), 90, endsAt)).not.toBe(endsAt);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])(
    'rejects durationDays %s with RangeError',
    (days) => {
      expect(() => computeExpiration(d('2026-04-28T10:00:00Z'), days, null)).toThrow(RangeError);
      expect(() => computeExpiration(d('2026-04-28T10:00:00Z'), days, d('2027-01-01T00:00:00Z'))).toThrow(
        RangeError,
      );
    },
  );

  it('rejects invalid dates with RangeError', () => {
    expect(() => computeExpiration(new Date(Number.NaN), 1, null)).toThrow(RangeError);
    expect(() => computeExpiration(d('2026-04-28T10:00:00Z'), 1, new Date(Number.NaN))).toThrow(RangeError);
  });

  it('rejects a duration beyond the Date range with RangeError', () => {
    expect(() => computeExpiration(d('2026-04-28T10:00:00Z'), 200_000_000, null)).toThrow(RangeError);
  });
});

describe('isExpired', () => {
  const exp = d('2026-07-26T23:59:59Z');
  it.each([
    ['never expires when null', null, '2999-01-01T00:00:00Z', false],
    ['before', exp, '2026-07-26T10:00:00Z', false],
    ['exactly at the expiration instant (still live)', exp, '2026-07-26T23:59:59Z', false],
    ['1 ms after', exp, '2026-07-26T23:59:59.001Z', true],
    ['next day', exp, '2026-07-27T00:00:00Z', true],
  ] as const)('%s', (_name, expiration, now, expected) => {
    expect(isExpired(expiration, d(now))).toBe(expected);
  });
});

describe('toRfc3339 / truncateToSecond', () => {
  it.each([
    ['2026-07-26T23:59:59.000Z', '2026-07-26T23:59:59Z'],
    ['2026-07-26T23:59:59.999Z', '2026-07-26T23:59:59Z'], // truncated, never rounded up
    ['2026-12-31T23:59:59.500Z', '2026-12-31T23:59:59Z'],
    ['2026-07-26T12:00:00.001Z', '2026-07-26T12:00:00Z'],
    ['1969-12-31T23:59:59.500Z', '1969-12-31T23:59:59Z'], // negative epoch ms still floors
    ['2026-04-28T10:00:00+02:00', '2026-04-28T08:00:00Z'],
  ])('%s → %s', (input, expected) => {
    expect(toRfc3339(d(input))).toBe(expected);
    expect(truncateToSecond(d(input)).toISOString()).toBe(expected.replace('Z', '.000Z'));
  });

  it('throws RangeError on an invalid Date', () => {
    expect(() => toRfc3339(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('matches the RFC 3339 shape and never exceeds the input (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: d('1900-01-01T00:00:00Z'), max: d('2200-01-01T00:00:00Z'), noInvalidDate: true }),
        (x) => {
          const s = toRfc3339(x);
          expect(s).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
          const back = d(s).getTime();
          expect(back).toBeLessThanOrEqual(x.getTime());
          expect(x.getTime() - back).toBeLessThan(1000);
          expect(Math.abs(back % 1000)).toBe(0);
        },
      ),
    );
  });
});

describe('computeExpiration properties', () => {
  const dateArb = fc.date({
    min: d('2000-01-01T00:00:00Z'),
    max: d('2100-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  });
  const utcDayStart = (x: Date) => Math.floor(x.getTime() / DAY_MS) * DAY_MS;

  it('matches a ms-arithmetic model, is at 23:59:59 UTC or ends_at, never after ends_at', () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.option(fc.integer({ min: 1, max: 3650 }), { nil: null }),
        fc.option(dateArb, { nil: null }),
        (enrolledAt, days, endsAt) => {
          const result = computeExpiration(enrolledAt, days, endsAt);
          if (days === null && endsAt === null) {
            expect(result).toBeNull();
            return;
          }
          expect(result).not.toBeNull();
          const r = result!.getTime();

          // UTC has no DST and JS ignores leap seconds, so every UTC day is exactly 86 400 000 ms.
          const uncapped =
            days === null ? Number.POSITIVE_INFINITY : utcDayStart(enrolledAt) + days * DAY_MS - 1000;
          const model = endsAt === null ? uncapped : Math.min(uncapped, endsAt.getTime());
          expect(r).toBe(model);

          const at235959 =
            result!.getUTCHours() === 23 &&
            result!.getUTCMinutes() === 59 &&
            result!.getUTCSeconds() === 59 &&
            result!.getUTCMilliseconds() === 0;
          expect(at235959 || (endsAt !== null && r === endsAt.getTime())).toBe(true);
          if (endsAt !== null) expect(r).toBeLessThanOrEqual(endsAt.getTime());
          // Only an ends_at before the enrollment could pull it before the enrollment's day.
          if (endsAt === null || endsAt.getTime() >= enrolledAt.getTime()) {
            expect(r).toBeGreaterThanOrEqual(utcDayStart(enrolledAt));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is monotonic in durationDays: one more day is exactly 24 h later (uncapped)', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 3650 }), (enrolledAt, days) => {
        const a = computeExpiration(enrolledAt, days, null)!;
        const b = computeExpiration(enrolledAt, days + 1, null)!;
        expect(b.getTime() - a.getTime()).toBe(DAY_MS);
      }),
    );
  });
});
