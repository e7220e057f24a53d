// Marking enrollments expired (CONTRACT §3 rules 1 and 10, §8's enrollment.expired): the
// sweeper's batches, a test clock's advance (§9), and a promotion that just ended.
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { eventCtes } from '../events/event-log.js';
import { markedDetailSql, promotionDetailOfRowSql } from '../rules/enrollment-detail.js';
import { isExpiredSql } from '../rules/expiration.js';
import { EFFECTIVE_EXPIRES_AT } from './views.js';

const EXPIRE_BATCH = 1_000;

export interface MarkExpiredOptions {
  promotionId?: string;
  testClockId?: string;
  /** The wall clock's instant, when `now` is a test clock's: the events' deliveries are due then. */
  wallNow?: Date;
}

export function createEnrollmentExpiry(db: Db) {
  /**
   * Marks up to `batch` enrollments past their effective expiration (rule 10: a promotion's
   * end binds them) with their `enrollment.expired` event and its deliveries, in one statement
   * (the event's data is the enrollment as GET shows it at that time); the ids marked. SKIP
   * LOCKED lets several instances sweep side by side. Which enrollments, at which time
   * (CONTRACT §9: an enrollment on a test clock lives at its clock's time):
   * - by default (the sweeper): live ones only, at `now`;
   * - `testClockId` (a clock's advance): that clock's only, at `now`, the clock's new time;
   * - `promotionId` (a promotion that just ended expires its enrollments at once): that
   *   promotion's, each at its own time — `now`, or its clock's time.
   */
  async function markExpired(
    now: Date,
    batch: number,
    tx: Db = db,
    options: MarkExpiredOptions = {},
  ): Promise<string[]> {
    const { promotionId, testClockId } = options;
    const eachAtOwnTime = promotionId !== undefined && testClockId === undefined;
    const at = eachAtOwnTime ? sql`coalesce(tc.frozen_time, ${now}::timestamptz)` : sql`${now}::timestamptz`;
    const rows = await queryRows<{ enrollment_id: string }>(
      tx,
      sql`with due as (
            select e.id, e.promotion_id, e.partner_id, e.enrolled_at, p.task_limit_per_month,
                   ${EFFECTIVE_EXPIRES_AT} as expires_at, ${at} as at
            from enrollments e join promotions p on p.id = e.promotion_id
            ${eachAtOwnTime ? sql`left join test_clocks tc on tc.id = e.test_clock_id` : sql``}
            where e.expired_at is null and e.unenrolled_at is null and ${isExpiredSql(EFFECTIVE_EXPIRES_AT, at)}
              ${promotionId !== undefined ? sql`and e.promotion_id = ${promotionId}` : sql``}
              ${
                testClockId !== undefined
                  ? sql`and e.test_clock_id = ${testClockId}`
                  : eachAtOwnTime
                    ? sql``
                    : sql`and e.test_clock_id is null`
              }
            order by ${EFFECTIVE_EXPIRES_AT}
            limit ${batch}
            for update of e skip locked
          ), marked as (
            update enrollments e set expired_at = due.at
            from due where e.id = due.id
            returning e.id
          ), detail as (${markedDetailSql(sql`due`)}), ${eventCtes({
            name: 'expired_event',
            source: sql`detail d`,
            partnerId: sql`d.partner_id`,
            type: 'enrollment.expired',
            enrollmentId: sql`d.id`,
            actor: { type: 'system' },
            data: promotionDetailOfRowSql(sql`d`),
            dedupKey: sql`'enrollment.expired:' || d.id`,
            at: sql`d.at`,
            recordedAt: sql`${options.wallNow ?? now}::timestamptz`,
          })}
          select id as enrollment_id from marked`,
    );
    return rows.map((r) => r.enrollment_id);
  }

  /**
   * Rule 10: every enrollment of a promotion whose end has passed, expired now (in batches),
   * with its event; one on a test clock when its clock's time is past the end, at that time
   * (CONTRACT §9).
   */
  async function expireEndedPromotion(promotionId: string, now: Date, tx: Db = db): Promise<string[]> {
    const expired: string[] = [];
    for (;;) {
      const batch = await markExpired(now, EXPIRE_BATCH, tx, { promotionId });
      expired.push(...batch);
      if (batch.length < EXPIRE_BATCH) return expired;
    }
  }

  return { markExpired, expireEndedPromotion };
}

export type EnrollmentExpiry = ReturnType<typeof createEnrollmentExpiry>;
