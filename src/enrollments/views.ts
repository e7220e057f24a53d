// Reading enrollments as every feature shows them: the row with its effective expiration
// (CONTRACT §3 rules 1 and 10), its promotion's limit, its newest usage counter and its test
// clock's time (§9). The public GET, the admin API, usage events and expiry events read these.
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { epochMs, toDate } from '../db/sql.js';
import { type AdminEnrollmentStatus, adminEnrollmentStatusSql } from '../rules/enrollment-detail.js';
import { effectiveExpirationSql } from '../rules/expiration.js';

/** An enrollment with what a read needs: the promotion's limit and the newest usage counter. */
export interface EnrollmentView {
  id: string;
  promotion_id: string;
  account_id: string;
  partner_id: string;
  enrolled_at: Date;
  /** The effective expiration (CONTRACT §3 rules 1 and 10): its own, or the promotion's end if earlier. */
  expires_at: Date | null;
  unenrolled_at: Date | null;
  task_limit_per_month: number | null;
  usage_cycle_start: Date | null;
  usage_used: number | null;
  /** CONTRACT §9: the time of the enrollment's test clock, its "now"; null for a live enrollment. */
  clock_time: Date | null;
}

/** EnrollmentView as the driver returns it: instants as epoch milliseconds. */
export type RawView = Omit<
  EnrollmentView,
  'enrolled_at' | 'expires_at' | 'unenrolled_at' | 'usage_cycle_start' | 'clock_time'
> & {
  enrolled_at: number;
  expires_at: number | null;
  unenrolled_at: number | null;
  usage_cycle_start: number | null;
  clock_time: number | null;
};

export function fromRawView(row: RawView): EnrollmentView {
  return {
    ...row,
    enrolled_at: new Date(row.enrolled_at),
    expires_at: toDate(row.expires_at),
    unenrolled_at: toDate(row.unenrolled_at),
    usage_cycle_start: toDate(row.usage_cycle_start),
    clock_time: toDate(row.clock_time),
  };
}

/** Rule 10 over this module's aliases: `e` the enrollment, `p` its promotion. */
export const EFFECTIVE_EXPIRES_AT = effectiveExpirationSql(sql`e.expires_at`, sql`p.ends_at`);

/**
 * Enrollments with their promotion's limit and newest usage counter up to their "now": the
 * time of their test clock (CONTRACT §9), joined by the enrollment's own row (a live one's null
 * key joins nothing), else `now`. Callers add the WHERE.
 */
export function selectViews(now: unknown): SQL {
  return sql`
        select e.id, e.promotion_id, e.account_id, e.partner_id,
               ${epochMs(sql`e.enrolled_at`)} as enrolled_at, ${epochMs(EFFECTIVE_EXPIRES_AT)} as expires_at,
               ${epochMs(sql`e.unenrolled_at`)} as unenrolled_at,
               p.task_limit_per_month, ${epochMs(sql`u.cycle_start`)} as usage_cycle_start, u.used as usage_used,
               ${epochMs(sql`tc.frozen_time`)} as clock_time
        from enrollments e
        join promotions p on p.id = e.promotion_id
        left join test_clocks tc on tc.id = e.test_clock_id
        left join lateral (
          select cycle_start, used from usage_counters c
          where c.enrollment_id = e.id and c.cycle_start <= coalesce(tc.frozen_time, ${now}::timestamptz)
          order by c.cycle_start desc limit 1
        ) u on true`;
}

/**
 * The operator's status of a row of selectViews (CONTRACT §6), each enrollment judged at its own
 * time: its clock's, else now (CONTRACT §9).
 */
export function adminStatusSql(now: unknown): SQL {
  const at = sql`coalesce(tc.frozen_time, ${now}::timestamptz)`;
  return adminEnrollmentStatusSql(
    { unenrolledAt: sql`e.unenrolled_at`, expiresAt: EFFECTIVE_EXPIRES_AT },
    at,
  );
}

export function createEnrollmentViews(db: Db) {
  /** A promotion's enrollments (unenrolled ones too) by id, for keyset pagination; the operator's list. */
  async function listByPromotion(
    promotionId: string,
    options: { limit: number; afterId?: string; status?: AdminEnrollmentStatus },
    now: Date,
    tx: Db = db,
  ): Promise<EnrollmentView[]> {
    const status = adminStatusSql(now);
    const rows = await queryRows<RawView>(
      tx,
      sql`${selectViews(now)}
        where e.promotion_id = ${promotionId}
          ${options.afterId !== undefined ? sql`and e.id > ${options.afterId}` : sql``}
          ${options.status ? sql`and ${status} = ${options.status}` : sql``}
        order by e.id
        limit ${options.limit}`,
    );
    return rows.map(fromRawView);
  }

  /** Views of these enrollments (unenrolled ones too), e.g. for the webhook events of a batch. */
  async function findViewsByIds(ids: string[], now: Date, tx: Db = db): Promise<EnrollmentView[]> {
    if (ids.length === 0) return [];
    const rows = await queryRows<RawView>(
      tx,
      sql`${selectViews(now)}
        where e.id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
    );
    return rows.map(fromRawView);
  }

  /** Whether the enrollment exists at all (unenrolled ones included): the admin sees everything. */
  async function exists(key: { id: string; promotionId: string }, tx: Db = db): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`select id from enrollments where id = ${key.id} and promotion_id = ${key.promotionId}`,
    );
    return rows.length > 0;
  }

  return { listByPromotion, findViewsByIds, exists };
}

export type EnrollmentViews = ReturnType<typeof createEnrollmentViews>;
