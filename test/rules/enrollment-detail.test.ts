// The enrollment's wire shape (CONTRACT §4 GET, §8 event data): promotionDetailSql, which the
// enrollment and unenrollment statements write into their events, equals toPromotionDetail,
// which GET answers; and the operator's status in SQL (the list filter) equals TypeScript's.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billingCycleSql, cycleAt } from '../../src/rules/billing-cycle.js';
import {
  adminEnrollmentStatus,
  adminEnrollmentStatusSql,
  promotionDetailSql,
  toPromotionDetail,
} from '../../src/rules/enrollment-detail.js';
import { instant, int, RUNS, ts, useSqlTwin } from './sql-twin.js';

const twin = useSqlTwin();
const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });

interface Case {
  promotionId: string;
  id: string;
  enrolledAt: Date;
  expiresAt: Date | null;
  limit: number | null;
  used: number;
  at: Date;
}

/** The statement's way: the cycle containing `at` from billingCycleSql, its usage given. */
const detailSql = (c: Case) =>
  twin.json(
    sql`(select ${promotionDetailSql({
      promotionId: sql`${c.promotionId}::text`,
      id: sql`${c.id}::uuid`,
      enrolledAt: ts(c.enrolledAt),
      expiresAt: ts(c.expiresAt),
      taskLimitPerMonth: int(c.limit),
      used: int(c.used),
      cycleStart: sql`cy.cycle_start`,
      cycleEnd: sql`cy.cycle_end`,
      at: ts(c.at),
    })} from ${billingCycleSql(ts(c.enrolledAt), ts(c.at))} cy)`,
  );

/** GET's way: the newest counter is the current cycle's. */
const detailTs = (c: Case) =>
  toPromotionDetail(
    {
      id: c.id,
      promotion_id: c.promotionId,
      enrolled_at: c.enrolledAt,
      expires_at: c.expiresAt,
      task_limit_per_month: c.limit,
      usage_cycle_start: cycleAt(c.enrolledAt, c.at).start,
      usage_used: c.used,
    },
    c.at,
  );

describe('promotionDetailSql ≡ toPromotionDetail', () => {
  it('the contract example: enrolled 2026-04-28T10:00:00Z for 90 days, read a month later', async () => {
    const c: Case = {
      promotionId: 'spring_2026',
      id: '0b7e1c1e-3a35-4cde-9f7e-2f3a1c9d8e01',
      enrolledAt: new Date('2026-04-28T10:00:00Z'),
      expiresAt: new Date('2026-07-26T23:59:59Z'),
      limit: 100,
      used: 42,
      at: new Date('2026-05-30T12:00:00.750Z'),
    };
    const expected = {
      promotion_id: 'spring_2026',
      enrollment_date: '2026-04-28T10:00:00Z',
      expiration_date: '2026-07-26T23:59:59Z',
      task_limit_per_month: 100,
      tasks_used_this_month: 42,
      status: 'enrolled',
      enrollment_id: 'spring_2026:0b7e1c1e-3a35-4cde-9f7e-2f3a1c9d8e01',
      billing_cycle_start: '2026-05-28T10:00:00Z',
      billing_cycle_end: '2026-06-28T10:00:00Z',
    };
    expect(detailTs(c)).toEqual(expected);
    expect(await detailSql(c)).toEqual(expected);
    const expired = { ...c, at: new Date('2026-07-27T00:00:00Z'), limit: null, expiresAt: c.expiresAt };
    expect(await detailSql(expired)).toEqual(detailTs(expired));
    expect(detailTs(expired).status).toBe('expired');
  });

  it('for any enrollment, expiration (or none), limit, usage and instant (property)', async () => {
    const scenario = fc
      .record({
        promotionId: fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/),
        id: fc.uuid({ version: 4 }),
        enrolledAt: instant({ seconds: true }),
        expiryOffsetMs: orNull(fc.integer({ min: 0, max: 400 * 86_400_000 })),
        limit: orNull(fc.integer({ min: 0, max: 1_000_000 })),
        used: fc.integer({ min: 0, max: 1_000_000 }),
        atOffsetMs: fc.integer({ min: 0, max: 800 * 86_400_000 }),
      })
      .map(
        (r): Case => ({
          promotionId: r.promotionId,
          id: r.id,
          enrolledAt: r.enrolledAt,
          expiresAt: r.expiryOffsetMs === null ? null : new Date(r.enrolledAt.getTime() + r.expiryOffsetMs),
          limit: r.limit,
          used: r.used,
          at: new Date(r.enrolledAt.getTime() + r.atOffsetMs),
        }),
      );
    await fc.assert(
      fc.asyncProperty(scenario, async (c) => {
        expect(await detailSql(c)).toEqual(detailTs(c));
      }),
      RUNS,
    );
  });
});

describe('adminEnrollmentStatusSql ≡ adminEnrollmentStatus', () => {
  it('unenrolled wins over expired; expired strictly after the expiration (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        orNull(instant()),
        orNull(instant()),
        fc.integer({ min: -2, max: 2 }),
        async (unenrolledAt, expiresAt, offset) => {
          const now = new Date((expiresAt ?? new Date('2030-01-01T00:00:00Z')).getTime() + offset);
          const status = await twin.value<string>(
            adminEnrollmentStatusSql({ unenrolledAt: ts(unenrolledAt), expiresAt: ts(expiresAt) }, ts(now)),
          );
          expect(status).toBe(adminEnrollmentStatus({ unenrolledAt, expiresAt }, now));
        },
      ),
      RUNS,
    );
  });
});
