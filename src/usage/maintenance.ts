// CONTRACT §12 "Scale": the usage ledger is partitioned by month (usage_ledger_yYYYYmMM, by
// recorded_at, plus usage_ledger_default for anything outside the months made so far). Each
// instance, at start and then every hour: makes the partitions of last month to two months
// ahead, moving any rows the default partition holds for such a month into it; drops whole
// months older than USAGE_LEDGER_RETENTION_MONTHS (the usage counters, which answer
// tasks_used_this_month, are kept); and forgets platform events received more than
// USAGE_EVENT_RETENTION_DAYS ago (never fewer than 35: the dedup promise). Several instances
// may run it at once: each pass holds a transaction-level advisory lock.

import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import { type Db, queryRows } from '../db/client.js';
import { createPoller, type Poller } from '../poller.js';

const LOCK_KEY = 7_241_512;
const HOUR_MS = 3600 * 1000;
/** Platform events are forgotten in batches of this many rows, a bounded number per pass. */
const EVENT_BATCH = 5000;
const EVENT_MAX_BATCHES = 20;

/** The first instant of the UTC month `offset` months after the one containing `at`. */
export function monthStart(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

export const partitionName = (month: Date) =>
  `usage_ledger_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`;

const PARTITION_NAME = /^usage_ledger_y(\d{4})m(\d{2})$/;

export interface MaintenanceResult {
  created: string[];
  dropped: string[];
  eventsForgotten: number;
}

export function createUsageMaintenance(deps: {
  db: Db;
  clock: Clock;
  retentionMonths: number;
  eventRetentionDays: number;
  intervalMs?: number;
}) {
  const { db, clock, retentionMonths, eventRetentionDays } = deps;
  let poller: Poller | null = null;
  let first: Promise<void> | null = null;

  async function existingPartitions(tx: Db): Promise<string[]> {
    const rows = await queryRows<{ name: string }>(
      tx,
      sql`select c.relname as name from pg_inherits i
          join pg_class c on c.oid = i.inhrelid
          join pg_class p on p.oid = i.inhparent
          where p.relname = 'usage_ledger'`,
    );
    return rows.map((r) => r.name);
  }

  /** Makes the month's partition, taking over whatever the default partition holds for it. */
  async function createMonth(tx: Db, month: Date): Promise<void> {
    const name = sql.identifier(partitionName(month));
    const from = month.toISOString();
    const to = monthStart(month, 1).toISOString();
    await tx.execute(sql`create table ${name} (like usage_ledger including defaults including constraints)`);
    await tx.execute(
      sql`with moved as (
            delete from usage_ledger_default where recorded_at >= ${from}::timestamptz and recorded_at < ${to}::timestamptz
            returning *)
          insert into ${name} select * from moved`,
    );
    await tx.execute(
      sql`alter table usage_ledger attach partition ${name}
          for values from (${sql.raw(`'${from}'`)}) to (${sql.raw(`'${to}'`)})`,
    );
  }

  /** One pass at `now`; tests call it directly. */
  async function runOnce(now: Date = clock.now()): Promise<MaintenanceResult> {
    const result: MaintenanceResult = { created: [], dropped: [], eventsForgotten: 0 };
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
      const existing = new Set(await existingPartitions(tx));
      for (let offset = -1; offset <= 2; offset++) {
        const month = monthStart(now, offset);
        if (existing.has(partitionName(month))) continue;
        await createMonth(tx, month);
        result.created.push(partitionName(month));
      }
      // Whole months that ended before the oldest month kept go at once.
      const oldestKept = monthStart(now, -retentionMonths);
      for (const name of existing) {
        const match = PARTITION_NAME.exec(name);
        if (!match) continue;
        const month = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
        if (month.getTime() >= oldestKept.getTime()) continue;
        await tx.execute(sql`drop table ${sql.identifier(name)}`);
        result.dropped.push(name);
      }
      await tx.execute(
        sql`delete from usage_ledger_default where recorded_at < ${oldestKept.toISOString()}::timestamptz`,
      );
    });
    const forgetBefore = new Date(now.getTime() - Math.max(eventRetentionDays, 35) * 24 * HOUR_MS);
    for (let i = 0; i < EVENT_MAX_BATCHES; i++) {
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`with gone as (
              delete from usage_events where id in (
                select id from usage_events where received_at < ${forgetBefore.toISOString()}::timestamptz
                limit ${EVENT_BATCH})
              returning 1)
            select count(*)::int as n from gone`,
      );
      const n = row?.n ?? 0;
      result.eventsForgotten += n;
      if (n < EVENT_BATCH) break;
    }
    return result;
  }

  /** Runs now and then every hour until stop(); the timer never keeps the process alive. */
  function start(log: FastifyBaseLogger): void {
    if (poller) return;
    async function runAndLog(): Promise<void> {
      const result = await runOnce();
      if (result.created.length || result.dropped.length || result.eventsForgotten) {
        log.info(result, 'usage ledger maintenance');
      }
    }
    const onError = (err: unknown) =>
      log.warn({ err }, 'usage ledger maintenance failed; retrying at the next interval');
    poller = createPoller({ intervalMs: deps.intervalMs ?? HOUR_MS, run: runAndLog, onError });
    poller.start();
    first = runAndLog().catch(onError);
  }

  async function stop(): Promise<void> {
    const running = poller?.stop();
    poller = null;
    await Promise.all([running, first]);
  }

  return { runOnce, start, stop };
}

export type UsageMaintenance = ReturnType<typeof createUsageMaintenance>;
