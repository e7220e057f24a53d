import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { epochMs, toDate } from '../db/sql.js';
import { effectiveExpirationSql } from '../rules/expiration.js';
import { acceptedTasksSql } from '../rules/usage.js';

/** What recording usage needs to know about an enrollment, read under a share lock. */
export interface UsageTarget {
  id: string;
  partnerId: string;
  enrolledAt: Date;
  expiresAt: Date | null;
  unenrolledAt: Date | null;
  taskLimitPerMonth: number | null;
  /** CONTRACT §9: the test clock of the enrollment (null when live) and its time, usage's "now". */
  testClockId: string | null;
  clockTime: Date | null;
  /** The partner owning that clock. */
  clockPartnerId: string | null;
}

/** A ledger entry as first recorded: what a repeated idempotency key answers with. */
export interface LedgerEntry {
  tasksRequested: number;
  tasksAccepted: number;
}

/**
 * The enrollment, its effective expiration (rule 10) and its promotion's limit. FOR SHARE
 * makes a concurrent unenroll wait for this transaction (and this one wait for it), so usage
 * never lands after the unenrollment committed.
 */
const lockTargetStatement = prepared<
  {
    id: string;
    partner_id: string;
    enrolled_at: number;
    expires_at: number | null;
    unenrolled_at: number | null;
    task_limit_per_month: number | null;
    test_clock_id: string | null;
    clock_time: number | null;
    clock_partner_id: string | null;
  },
  { id: string; promotionId: string }
>(
  'usage_lock_target',
  sql`select e.id, e.partner_id, ${epochMs(sql`e.enrolled_at`)} as enrolled_at, ${epochMs(effectiveExpirationSql(sql`e.expires_at`, sql`p.ends_at`))} as expires_at,
             ${epochMs(sql`e.unenrolled_at`)} as unenrolled_at, p.task_limit_per_month,
             e.test_clock_id, ${epochMs(sql`tc.frozen_time`)} as clock_time, tc.partner_id as clock_partner_id
      from enrollments e join promotions p on p.id = e.promotion_id
      left join test_clocks tc on tc.id = e.test_clock_id
      where e.id = ${sql.placeholder('id')}::uuid and e.promotion_id = ${sql.placeholder('promotionId')}
      for share of e`,
);

export function createUsageRepository(db: Db) {
  return {
    /** See lockTargetStatement. */
    async lockTarget(
      key: { id: string; promotionId: string },
      tx: Db = db,
    ): Promise<UsageTarget | undefined> {
      const [row] = await lockTargetStatement(tx, key);
      if (!row) return undefined;
      return {
        id: row.id,
        partnerId: row.partner_id,
        enrolledAt: new Date(row.enrolled_at),
        expiresAt: toDate(row.expires_at),
        unenrolledAt: toDate(row.unenrolled_at),
        taskLimitPerMonth: row.task_limit_per_month,
        testClockId: row.test_clock_id,
        clockTime: toDate(row.clock_time),
        clockPartnerId: row.clock_partner_id,
      };
    },

    /**
     * Claims the idempotency key of a usage call (CONTRACT §6); false when it was already used
     * for this enrollment (the primary key decides, waiting for a concurrent claimant to finish).
     * A call without a key claims nothing and always proceeds.
     */
    async claimEntry(
      entry: { enrollmentId: string; tasks: number; idempotencyKey: string | null; now: Date },
      tx: Db = db,
    ): Promise<boolean> {
      if (entry.idempotencyKey === null) return true;
      const rows = await queryRows<{ key: string }>(
        tx,
        sql`insert into usage_idempotency_keys (enrollment_id, key, tasks_requested, tasks_accepted, created_at)
            values (${entry.enrollmentId}, ${entry.idempotencyKey}, ${entry.tasks}, 0, ${entry.now})
            on conflict (enrollment_id, key) do nothing
            returning key`,
      );
      return rows.length > 0;
    },

    async findEntry(
      enrollmentId: string,
      idempotencyKey: string,
      tx: Db = db,
    ): Promise<LedgerEntry | undefined> {
      const [row] = await queryRows<{ tasks_requested: number; tasks_accepted: number }>(
        tx,
        sql`select tasks_requested, tasks_accepted from usage_idempotency_keys
            where enrollment_id = ${enrollmentId} and key = ${idempotencyKey}`,
      );
      return row && { tasksRequested: row.tasks_requested, tasksAccepted: row.tasks_accepted };
    },

    /** The call's ledger row (CONTRACT §12: the partitioned ledger) and what its key answers from now on. */
    async settleEntry(
      entry: {
        id: string;
        enrollmentId: string;
        cycleStart: Date;
        tasks: number;
        accepted: number;
        idempotencyKey: string | null;
        occurredAt: Date;
        recordedAt: Date;
      },
      tx: Db = db,
    ): Promise<void> {
      await tx.execute(
        sql`with ledger as (
              insert into usage_ledger (id, enrollment_id, cycle_start, tasks_requested, tasks_accepted,
                                        idempotency_key, occurred_at, recorded_at)
              values (${entry.id}, ${entry.enrollmentId}, ${entry.cycleStart}, ${entry.tasks}, ${entry.accepted},
                      ${entry.idempotencyKey}, ${entry.occurredAt}, ${entry.recordedAt})
            )
            update usage_idempotency_keys set tasks_accepted = ${entry.accepted}
            where enrollment_id = ${entry.enrollmentId} and key = ${entry.idempotencyKey}`,
      );
    },

    /**
     * Rule 3: adds what fits under the limit to the cycle's counter and returns the counter
     * before and after. The row is created if missing, then locked; the increment itself is
     * computed in SQL from the locked value, so it never passes the limit.
     */
    async addCapped(
      enrollmentId: string,
      cycleStart: Date,
      tasks: number,
      limit: number | null,
      tx: Db = db,
    ): Promise<{ before: number; after: number }> {
      await tx.execute(
        sql`insert into usage_counters (enrollment_id, cycle_start, used) values (${enrollmentId}, ${cycleStart}, 0)
            on conflict (enrollment_id, cycle_start) do nothing`,
      );
      // Locked until commit: concurrent batches queue here and each sees the previous total.
      const [locked] = await queryRows<{ used: number }>(
        tx,
        sql`select used from usage_counters
            where enrollment_id = ${enrollmentId} and cycle_start = ${cycleStart}
            for update`,
      );
      if (!locked) throw new Error('usage counter vanished inside its transaction');
      const [row] = await queryRows<{ after: number }>(
        tx,
        sql`update usage_counters
            set used = used + ${acceptedTasksSql(sql`used`, sql`${tasks}`, sql`${limit}::int`)}
            where enrollment_id = ${enrollmentId} and cycle_start = ${cycleStart}
            returning used as after`,
      );
      if (!row) throw new Error('usage counter vanished inside its transaction');
      return { before: locked.used, after: row.after };
    },

    async usedInCycle(enrollmentId: string, cycleStart: Date, tx: Db = db): Promise<number> {
      const [row] = await queryRows<{ used: number }>(
        tx,
        sql`select used from usage_counters where enrollment_id = ${enrollmentId} and cycle_start = ${cycleStart}`,
      );
      return row?.used ?? 0;
    },

    newEntryId: () => randomUUID(),
  };
}

export type UsageRepository = ReturnType<typeof createUsageRepository>;
