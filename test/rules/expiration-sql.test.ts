// CONTRACT §3 rules 1 and 10: each SQL twin in src/rules/expiration.ts equals its TypeScript
// reference, on this run's backend.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  effectiveExpiration,
  effectiveExpirationSql,
  isExpired,
  isExpiredSql,
  ownExpiration,
  ownExpirationSql,
} from '../../src/rules/expiration.js';
import { instant, int, RUNS, ts, useSqlTwin } from './sql-twin.js';

const twin = useSqlTwin();
const ms = (d: Date | null) => (d === null ? null : d.getTime());
const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });

describe('ownExpirationSql ≡ ownExpiration (rule 1)', () => {
  it('the contract example and the day boundaries', async () => {
    for (const [enrolledAt, days, expected] of [
      ['2026-04-28T10:00:00Z', 90, '2026-07-26T23:59:59Z'],
      ['2026-04-28T23:59:59Z', 1, '2026-04-28T23:59:59Z'],
      ['2026-04-28T23:30:00-05:00', 1, '2026-04-29T23:59:59Z'],
      ['2028-02-28T12:00:00Z', 2, '2028-02-29T23:59:59Z'],
    ] as const) {
      const at = new Date(enrolledAt);
      expect(await twin.instant(ownExpirationSql(ts(at), int(days)))).toBe(new Date(expected).getTime());
      expect(ms(ownExpiration(at, days))).toBe(new Date(expected).getTime());
    }
    expect(await twin.instant(ownExpirationSql(ts(new Date()), int(null)))).toBeNull();
  });

  it('for any enrollment instant and duration (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        instant({ seconds: true }),
        orNull(fc.integer({ min: 1, max: 4000 })),
        async (at, days) => {
          expect(await twin.instant(ownExpirationSql(ts(at), int(days)))).toBe(ms(ownExpiration(at, days)));
        },
      ),
      RUNS,
    );
  });
});

describe('effectiveExpirationSql ≡ effectiveExpiration (rule 10)', () => {
  it('for any own expiration and promotion end, either missing (property)', async () => {
    await fc.assert(
      fc.asyncProperty(orNull(instant()), orNull(instant()), async (own, endsAt) => {
        expect(await twin.instant(effectiveExpirationSql(ts(own), ts(endsAt)))).toBe(
          ms(effectiveExpiration(own, endsAt)),
        );
      }),
      RUNS,
    );
  });
});

describe('isExpiredSql ≡ isExpired', () => {
  const expiredSql = (expiration: Date | null, now: Date) =>
    twin.value<boolean>(sql`coalesce(${isExpiredSql(ts(expiration), ts(now))}, false)`);

  it('is live at the expiration instant itself and expired a millisecond after', async () => {
    const expiration = new Date('2026-07-26T23:59:59Z');
    expect(await expiredSql(expiration, expiration)).toBe(false);
    expect(isExpired(expiration, expiration)).toBe(false);
    const after = new Date(expiration.getTime() + 1);
    expect(await expiredSql(expiration, after)).toBe(true);
    expect(isExpired(expiration, after)).toBe(true);
    expect(await expiredSql(null, after)).toBe(false);
    expect(isExpired(null, after)).toBe(false);
  });

  it('for any expiration (or none) and instant near it (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        orNull(instant()),
        fc.integer({ min: -5000, max: 5000 }),
        async (expiration, offset) => {
          const now = new Date((expiration ?? new Date('2030-01-01T00:00:00Z')).getTime() + offset);
          expect(await expiredSql(expiration, now)).toBe(isExpired(expiration, now));
        },
      ),
      RUNS,
    );
  });
});
