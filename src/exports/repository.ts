// The exports' reads (CONTRACT §6, "Exports"): a promotion's enrollments, and its usage per
// enrollment and billing cycle, in keyset batches, each batch one short statement. Never one
// long query or a server-side cursor: a cursor would hold a pool connection (and a transaction)
// for as long as the slowest client takes to download, and would not pass a transaction pooler.
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { epochMs } from '../db/sql.js';
import { adminStatusSql, fromRawView, type RawView, selectViews } from '../enrollments/views.js';
import type { AdminEnrollmentStatus } from '../rules/enrollment-detail.js';

/** Rows per statement: big enough that round trips do not dominate, small enough to hold. */
export const EXPORT_BATCH_SIZE = 1000;

/** One usage counter of one enrollment: the tasks it used in one billing cycle. */
export interface UsageCycleRow {
  enrollment_id: string;
  /** cycle_start as PostgreSQL's text, exact to the microsecond: the next batch's key. */
  cycle_key: string;
  promotion_id: string;
  account_id: string;
  account_email: string;
  enrolled_at: Date;
  cycle_start: Date;
  used: number;
  task_limit_per_month: number | null;
}

type RawUsageCycleRow = Omit<UsageCycleRow, 'enrolled_at' | 'cycle_start'> & {
  enrolled_at: number;
  cycle_start: number;
};

export interface UsageKey {
  enrollmentId: string;
  cycleKey: string;
}

export function createExportsRepository(db: Db) {
  /** A batch of the promotion's enrollments after `afterId`, by id, with each account's email. */
  async function enrollmentsPage(
    promotionId: string,
    options: { limit: number; afterId: string | null; status?: AdminEnrollmentStatus },
    now: Date,
  ) {
    const rows = await queryRows<RawView & { account_email: string }>(
      db,
      sql`with page as (
          ${selectViews(now)}
          where e.promotion_id = ${promotionId}
            ${options.afterId !== null ? sql`and e.id > ${options.afterId}` : sql``}
            ${options.status ? sql`and ${adminStatusSql(now)} = ${options.status}` : sql``}
          order by e.id
          limit ${options.limit}
        )
        select page.*, a.email as account_email
        from page join accounts a on a.id = page.account_id
        order by page.id`,
    );
    return rows.map((row) => ({ ...fromRawView(row), account_email: row.account_email }));
  }

  /**
   * A batch of the promotion's usage counters after `after`, by enrollment then cycle:
   * optionally only the cycles starting in [from, to).
   */
  async function usagePage(
    promotionId: string,
    options: { limit: number; after: UsageKey | null; from?: Date; to?: Date },
  ): Promise<UsageCycleRow[]> {
    const after: SQL = options.after
      ? // On both tables, so each side's index scan starts at the key (not at the start, every batch).
        sql`and e.id >= ${options.after.enrollmentId} and c.enrollment_id >= ${options.after.enrollmentId}
            and (e.id > ${options.after.enrollmentId} or c.cycle_start > ${options.after.cycleKey}::timestamptz)`
      : sql``;
    const rows = await queryRows<RawUsageCycleRow>(
      db,
      sql`select e.id as enrollment_id, e.promotion_id, e.account_id, a.email as account_email,
               ${epochMs(sql`e.enrolled_at`)} as enrolled_at, ${epochMs(sql`c.cycle_start`)} as cycle_start, c.cycle_start::text as cycle_key,
               c.used, p.task_limit_per_month
        from enrollments e
        join usage_counters c on c.enrollment_id = e.id
        join promotions p on p.id = e.promotion_id
        join accounts a on a.id = e.account_id
        where e.promotion_id = ${promotionId}
          ${after}
          ${options.from ? sql`and c.cycle_start >= ${options.from.toISOString()}::timestamptz` : sql``}
          ${options.to ? sql`and c.cycle_start < ${options.to.toISOString()}::timestamptz` : sql``}
        order by e.id, c.cycle_start
        limit ${options.limit}`,
    );
    return rows.map((row) => ({
      ...row,
      enrolled_at: new Date(row.enrolled_at),
      cycle_start: new Date(row.cycle_start),
    }));
  }

  return { enrollmentsPage, usagePage };
}

export type ExportsRepository = ReturnType<typeof createExportsRepository>;
