import type { AuditContext, AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { enrollmentEvent } from '../enrollments/events.js';
import type { EnrollmentViews } from '../enrollments/views.js';
import { ERRORS } from '../errors.js';
import { eventLog } from '../events/event-log.js';
import { cycleAt } from '../rules/billing-cycle.js';
import { parseEnrollmentId } from '../rules/enrollment-id.js';
import { toRfc3339 } from '../rules/time.js';
import { usageCrossings, usageRefusal } from '../rules/usage.js';
import type { LedgerEntry, UsageRepository, UsageTarget } from './repository.js';
import type { UsageResult } from './schemas.js';

export type { UsageResult } from './schemas.js';

export interface RecordUsage {
  tasks: number;
  idempotencyKey?: string;
  occurredAt?: Date;
}

export interface RecordOptions {
  /**
   * CONTRACT §9, the test helpers' usage endpoint: only an enrollment on a test clock of this
   * partner (any other answers 404). Whoever calls, an enrollment on a clock records at its
   * clock's time.
   */
  clockPartnerId?: string;
  /** CONTRACT §11: an operator's write, recorded in the audit log in the usage's transaction. */
  audit?: AuditContext;
}

const notFound = ERRORS.enrollmentNotFound;

export function createUsageService(deps: {
  db: Db;
  clock: Clock;
  usage: UsageRepository;
  enrollments: EnrollmentViews;
  auditLog: AuditLog;
}) {
  const { db, clock, usage, enrollments, auditLog } = deps;

  /** The audit entry of one usage call: the cycle's counter before and after (none changed on a replay). */
  const recorded = (
    tx: Db,
    options: RecordOptions,
    enrollmentId: string,
    counter: { before: number; after: number } | null,
  ) =>
    auditLog.record(tx, options.audit, {
      action: 'usage.recorded',
      objectType: 'enrollment',
      objectId: enrollmentId,
      changes:
        counter && counter.before !== counter.after
          ? { tasks_used: { before: counter.before, after: counter.after } }
          : {},
    });

  /** A repeated idempotency key answers as the first request did, and changes nothing. */
  async function replay(target: UsageTarget, entry: LedgerEntry, now: Date, tx: Db): Promise<UsageResult> {
    const current = cycleAt(target.enrolledAt, now);
    return {
      accepted: entry.tasksAccepted,
      rejected: entry.tasksRequested - entry.tasksAccepted,
      tasks_used_this_month: await usage.usedInCycle(target.id, current.start, tx),
      task_limit_per_month: target.taskLimitPerMonth,
    };
  }

  /**
   * CONTRACT §3 rules 2 and 3 in one transaction: the ledger entry (claimed by its
   * idempotency key), the capped counter of the cycle the tasks ran in, and the events.
   */
  async function record(
    enrollmentId: string,
    input: RecordUsage,
    options: RecordOptions = {},
  ): Promise<UsageResult> {
    const key = parseEnrollmentId(enrollmentId);
    if (!key) throw notFound();
    // The future is judged at the enrollment's own time, once its row (and clock) is read.
    const wallNow = clock.now();
    const idempotencyKey = input.idempotencyKey ?? null;

    return db.transaction(async (tx) => {
      const target = await usage.lockTarget(key, tx);
      if (!target) throw notFound();
      if (options.clockPartnerId !== undefined && target.clockPartnerId !== options.clockPartnerId) {
        throw notFound();
      }
      // CONTRACT §9: an enrollment on a test clock lives at its clock's time, read with its row.
      const now = target.clockTime ?? wallNow;
      const at = input.occurredAt ?? now;
      if (at.getTime() > now.getTime()) throw ERRORS.occurredInFuture();
      if (idempotencyKey !== null) {
        const earlier = await usage.findEntry(target.id, idempotencyKey, tx);
        if (earlier) {
          await recorded(tx, options, enrollmentId, null);
          return replay(target, earlier, now, tx);
        }
      }
      if (at.getTime() < target.enrolledAt.getTime()) throw ERRORS.occurredBeforeEnrollment();
      const reason = usageRefusal(target, at);
      if (reason) throw ERRORS.enrollmentNotActive(reason);

      const cycle = cycleAt(target.enrolledAt, at);
      const claimed = await usage.claimEntry(
        { enrollmentId: target.id, tasks: input.tasks, idempotencyKey, now: wallNow },
        tx,
      );
      if (!claimed) {
        // A concurrent request with the same key committed first: answer as it did.
        const earlier = await usage.findEntry(target.id, idempotencyKey!, tx);
        if (!earlier) throw new Error('idempotent usage entry vanished');
        await recorded(tx, options, enrollmentId, null);
        return replay(target, earlier, now, tx);
      }

      const limit = target.taskLimitPerMonth;
      const { before, after } = await usage.addCapped(target.id, cycle.start, input.tasks, limit, tx);
      const accepted = after - before;
      const rejected = input.tasks - accepted;
      await usage.settleEntry(
        {
          id: usage.newEntryId(),
          enrollmentId: target.id,
          cycleStart: cycle.start,
          tasks: input.tasks,
          accepted,
          idempotencyKey,
          occurredAt: at,
          recordedAt: wallNow,
        },
        tx,
      );

      // CONTRACT §8: the batch (audit-only), then the 80% and limit events, once per enrollment
      // and cycle (dedup key), all in this transaction. Usage is recorded by an operator.
      const actor = { type: 'admin' as const, id: null };
      await eventLog.append(tx, {
        partnerId: target.partnerId,
        type: 'usage.recorded',
        enrollmentId: target.id,
        actor,
        data: {
          tasks: input.tasks,
          accepted,
          rejected,
          billing_cycle_start: toRfc3339(cycle.start),
          occurred_at: toRfc3339(at),
          ...(idempotencyKey !== null ? { idempotency_key: idempotencyKey } : {}),
        },
        at: now,
        recordedAt: wallNow,
      });
      for (const type of usageCrossings(before, after, limit, rejected)) {
        const [view] = await enrollments.findViewsByIds([target.id], wallNow, tx);
        if (view) await eventLog.append(tx, enrollmentEvent(type, view, wallNow, cycle.start, actor));
      }

      await recorded(tx, options, enrollmentId, { before, after });
      const current = cycleAt(target.enrolledAt, now);
      const usedNow =
        current.start.getTime() === cycle.start.getTime()
          ? after
          : await usage.usedInCycle(target.id, current.start, tx);
      return { accepted, rejected, tasks_used_this_month: usedNow, task_limit_per_month: limit };
    });
  }

  return { record };
}

export type UsageService = ReturnType<typeof createUsageService>;
