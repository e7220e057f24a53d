// Marking enrollments expired (CONTRACT §3 rules 1 and 10, §8's enrollment.expired): the
// sweeper's batches, a test clock's advance (§9), and a promotion that just ended.
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { isExpiredSql } from '../rules/expiration.js';
import { rfc3339Sql } from '../rules/time.js';
import { EFFECTIVE_EXPIRES_AT } from './views.js';

const EXPIRE_BATCH = 1_000;

export function createExpiryRepository(db: Db) {
  /**
   * Marks up to `batch` enrollments past their effective expiration (rule 10: a promotion's
   * end binds them) and appends their `expired` event, in one statement; the ids marked.
   * SKIP LOCKED lets several instances sweep side by side. Which enrollments, at which time
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
    options: { promotionId?: string; testClockId?: string } = {},
  ): Promise<string[]> {
    const { promotionId, testClockId } = options;
    const eachAtOwnTime = promotionId !== undefined && testClockId === undefined;
    const at = eachAtOwnTime ? sql`coalesce(tc.frozen_time, ${now}::timestamptz)` : sql`${now}::timestamptz`;
    const rows = await queryRows<{ enrollment_id: string }>(
      tx,
      sql`with due as (
            select e.id, ${EFFECTIVE_EXPIRES_AT} as expires_at, ${at} as at
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
            returning e.id, due.expires_at, due.at
          )
          insert into enrollment_events (id, enrollment_id, type, actor_type, actor_id, data, created_at)
          select gen_random_uuid(), id, 'expired', 'system', null,
                 jsonb_build_object('expiration_date', ${rfc3339Sql(sql`expires_at`)}), at
          from marked
          returning enrollment_id`,
    );
    return rows.map((r) => r.enrollment_id);
  }

  /**
   * Rule 10: every enrollment of a promotion whose end has passed, expired now (in batches);
   * one on a test clock when its clock's time is past the end, at that time (CONTRACT §9).
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
