// The enrollment as the API shows it (CONTRACT §4: GET /v2/promotions/{enrollment_id}, and
// the `data` of enrollment events, §8), once: the TypeScript shape the GET route answers, and
// the same object as SQL jsonb for the statements that write an event's data in the round trip
// of their change. Its status too: `enrolled` | `expired` on the public API, and `unenrolled`
// first for the operator (CONTRACT §6). test/rules/enrollment-detail.test.ts holds the twins
// equal on both backends.
import { type SQL, sql } from 'drizzle-orm';
import { billingCycleSql, usageNow } from './billing-cycle.js';
import { enrollmentIdSql, formatEnrollmentId } from './enrollment-id.js';
import { isExpired, isExpiredSql } from './expiration.js';
import { rfc3339Sql, toRfc3339 } from './time.js';

/** GET /v2/promotions/{enrollment_id}: Zapier's fields, then ours (additive only). */
export interface PromotionDetail {
  promotion_id: string;
  enrollment_date: string;
  expiration_date: string | null;
  task_limit_per_month: number | null;
  tasks_used_this_month: number;
  status: 'enrolled' | 'expired';
  enrollment_id: string;
  billing_cycle_start: string;
  billing_cycle_end: string;
}

/** What the shape is made of: an enrollment row with its promotion's limit and newest usage counter. */
export interface DetailSource {
  id: string;
  promotion_id: string;
  enrolled_at: Date;
  /** The effective expiration (rules 1 and 10). */
  expires_at: Date | null;
  task_limit_per_month: number | null;
  usage_cycle_start: Date | null;
  usage_used: number | null;
}

/** The enrollment as GET shows it at `now`. */
export function toPromotionDetail(source: DetailSource, now: Date): PromotionDetail {
  const usage = usageNow(source, now);
  return {
    promotion_id: source.promotion_id,
    enrollment_date: toRfc3339(source.enrolled_at),
    expiration_date: source.expires_at ? toRfc3339(source.expires_at) : null,
    task_limit_per_month: source.task_limit_per_month,
    tasks_used_this_month: usage.used,
    status: isExpired(source.expires_at, now) ? 'expired' : 'enrolled',
    enrollment_id: formatEnrollmentId(source.promotion_id, source.id),
    billing_cycle_start: toRfc3339(usage.start),
    billing_cycle_end: toRfc3339(usage.end),
  };
}

/**
 * toPromotionDetail as a jsonb expression, over column expressions of the statement: the
 * current cycle's bounds (billingCycleSql) and its usage come from the statement itself.
 */
export function promotionDetailSql(c: {
  promotionId: SQL;
  id: SQL;
  enrolledAt: SQL;
  /** The effective expiration. */
  expiresAt: SQL;
  taskLimitPerMonth: SQL;
  /** Tasks used in the cycle containing `at`. */
  used: SQL;
  cycleStart: SQL;
  cycleEnd: SQL;
  at: SQL;
}): SQL {
  return sql`jsonb_build_object(
    'promotion_id', ${c.promotionId},
    'enrollment_date', ${rfc3339Sql(c.enrolledAt)},
    'expiration_date', ${rfc3339Sql(c.expiresAt)},
    'task_limit_per_month', ${c.taskLimitPerMonth},
    'tasks_used_this_month', ${c.used},
    'status', case when ${isExpiredSql(c.expiresAt, c.at)} then 'expired' else 'enrolled' end,
    'enrollment_id', ${enrollmentIdSql(c.promotionId, c.id)},
    'billing_cycle_start', ${rfc3339Sql(c.cycleStart)},
    'billing_cycle_end', ${rfc3339Sql(c.cycleEnd)})`;
}

/**
 * promotionDetailSql over one row whose columns carry the detail's names (promotion_id, id,
 * enrolled_at, expires_at, task_limit_per_month, used, cycle_start, cycle_end, at): the
 * `detail` CTEs of the unenroll and expiry statements.
 */
export function promotionDetailOfRowSql(row: SQL): SQL {
  const column = (name: string) => sql`${row}.${sql.identifier(name)}`;
  return promotionDetailSql({
    promotionId: column('promotion_id'),
    id: column('id'),
    enrolledAt: column('enrolled_at'),
    expiresAt: column('expires_at'),
    taskLimitPerMonth: column('task_limit_per_month'),
    used: column('used'),
    cycleStart: column('cycle_start'),
    cycleEnd: column('cycle_end'),
    at: column('at'),
  });
}

export type AdminEnrollmentStatus = 'enrolled' | 'expired' | 'unenrolled';

/** The operator's view of the status: unenrolled wins over expired. */
export function adminEnrollmentStatus(
  enrollment: { unenrolledAt: Date | null; expiresAt: Date | null },
  now: Date,
): AdminEnrollmentStatus {
  if (enrollment.unenrolledAt) return 'unenrolled';
  return isExpired(enrollment.expiresAt, now) ? 'expired' : 'enrolled';
}

/** adminEnrollmentStatus in SQL, over the row's columns (`expiresAt` the effective expiration). */
export function adminEnrollmentStatusSql(c: { unenrolledAt: SQL; expiresAt: SQL }, now: SQL): SQL {
  return sql`(case when ${c.unenrolledAt} is not null then 'unenrolled'
    when ${isExpiredSql(c.expiresAt, now)} then 'expired' else 'enrolled' end)`;
}

/**
 * The body of the unenroll and expiry statements' `detail` CTE, which promotionDetailOfRowSql
 * reads: each row of `source` (a CTE with the enrollment's columns and its `at`) that the
 * statement's `marked` CTE changed, with the billing cycle containing `at` (rule 2) and the
 * tasks used in it.
 */
export function markedDetailSql(source: SQL): SQL {
  return sql`select s.*, cy.cycle_start, cy.cycle_end,
           coalesce((select uc.used from usage_counters uc
                     where uc.enrollment_id = s.id and uc.cycle_start = cy.cycle_start), 0) as used
    from marked m join ${source} s on s.id = m.id
    cross join lateral ${billingCycleSql(sql`s.enrolled_at`, sql`s.at`)} cy`;
}
