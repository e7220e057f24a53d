// The console's own reads of the enrollment and usage tables (CONTRACT §11), in this one
// module so a change to those tables has one place to look: the aggregates its charts draw,
// an account's enrollments and an enrollment's usage ledger. Everything else the console
// shows comes from the services and repositories the admin API uses.
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { epochMs } from '../db/sql.js';

/** At most this many billing cycles in the chart (two years of monthly cycles). */
export const MAX_CYCLES = 24;

export interface LedgerRow {
  id: string;
  cycle_start: number;
  tasks_requested: number;
  tasks_accepted: number;
  idempotency_key: string | null;
  /** The platform's event id of a usage event's share (CONTRACT §12), else null. */
  event_id: string | null;
  occurred_at: number;
  created_at: number;
}

export function createConsoleRepository(db: Db) {
  /** Enrollments created per UTC day in [from, to), only the days that had some. */
  async function enrollmentsPerDay(promotionId: string, from: Date, to: Date): Promise<Map<string, number>> {
    const rows = await queryRows<{ day: string; n: number }>(
      db,
      sql`select to_char(date_trunc('day', enrolled_at at time zone 'UTC'), 'YYYY-MM-DD') as day, count(*)::int as n
          from enrollments
          where promotion_id = ${promotionId} and enrolled_at >= ${from} and enrolled_at < ${to}
          group by 1 order by 1`,
    );
    return new Map(rows.map((r) => [r.day, r.n]));
  }

  /**
   * Tasks used per billing cycle (cycle 1 is each enrollment's first month), summed over the
   * promotion's enrollments from their usage counters. A cycle k starts in the k-th calendar
   * month after its enrollment's (CONTRACT §3 rule 2: the day is clamped, never the month), so
   * the month difference is k.
   */
  async function tasksPerCycle(promotionId: string): Promise<Array<{ cycle: number; tasks: number }>> {
    return queryRows<{ cycle: number; tasks: number }>(
      db,
      sql`select (((extract(year from c.cycle_start at time zone 'UTC') - extract(year from e.enrolled_at at time zone 'UTC')) * 12
                  + extract(month from c.cycle_start at time zone 'UTC') - extract(month from e.enrolled_at at time zone 'UTC'))::int + 1) as cycle,
                 sum(c.used)::int as tasks
          from usage_counters c join enrollments e on e.id = c.enrollment_id
          where e.promotion_id = ${promotionId}
          group by 1 order by 1 limit ${MAX_CYCLES}`,
    );
  }

  /** An account's enrollments (every promotion, unenrolled ones too) by id, for keyset pagination. */
  async function enrollmentsOfAccount(
    accountId: string,
    options: { limit: number; afterId?: string },
  ): Promise<Array<{ id: string; promotion_id: string }>> {
    return queryRows(
      db,
      sql`select id, promotion_id from enrollments
          where account_id = ${accountId} ${options.afterId ? sql`and id > ${options.afterId}` : sql``}
          order by id limit ${options.limit}`,
    );
  }

  /** An enrollment's usage ledger, newest first. */
  async function usageLedger(
    enrollmentId: string,
    options: { limit: number; before?: { at: number; id: string } },
  ): Promise<LedgerRow[]> {
    return queryRows<LedgerRow>(
      db,
      sql`select id, ${epochMs(sql`cycle_start`)} as cycle_start, tasks_requested, tasks_accepted, idempotency_key, event_id,
                 ${epochMs(sql`occurred_at`)} as occurred_at, ${epochMs(sql`recorded_at`)} as created_at
          from usage_ledger
          where enrollment_id = ${enrollmentId}
            ${
              options.before
                ? sql`and (recorded_at, id) < (to_timestamp(${options.before.at}::float8 / 1000), ${options.before.id}::uuid)`
                : sql``
            }
          order by recorded_at desc, id desc limit ${options.limit}`,
    );
  }

  return { enrollmentsPerDay, tasksPerCycle, enrollmentsOfAccount, usageLedger };
}

export type ConsoleRepository = ReturnType<typeof createConsoleRepository>;
