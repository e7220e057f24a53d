// CONTRACT §12: the statements of one metering request. A batch of up to 1,000 events is a
// fixed handful of statements over arrays, never one per event: one read (accounts, earlier
// events, the accounts' enrollments with their recent counters) and one write (counters, ledger
// rows, the events' results), then the rare threshold events. Values travel as arrays
// (`unnest`), instants as RFC 3339 text.
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { effectiveExpirationSql } from '../rules/expiration.js';
import { INT4_MAX } from '../rules/usage.js';

const param = (value: unknown) => sql.param(value);
const ms = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;

export interface AccountRef {
  id: string;
  externalId: string | null;
  /** The account's test clock time (CONTRACT §9), null when live. */
  clockTime: number | null;
}

export interface StoredEvent {
  id: string;
  accountId: string;
  tasks: number;
  occurredAt: number;
  sponsored: number;
  unsponsored: number;
  allocations: Array<{ enrollment_id: string; promotion_id: string; tasks: number }>;
}

export interface EnrollmentRef {
  id: string;
  promotionId: string;
  accountId: string;
  partnerId: string;
  enrolledAt: number;
  unenrolledAt: number | null;
  /** Effective expiration (rule 10). */
  expiresAt: number | null;
  taskLimitPerMonth: number | null;
  /** Its counters of cycles that started since the read's `since` (or its clock's now − 32 days). */
  counters: Array<{ cycleStart: number; used: number }> | null;
}

export interface CounterKey {
  enrollmentId: string;
  cycleStart: Date;
}

export interface LedgerRow {
  id: string;
  enrollmentId: string;
  cycleStart: Date;
  requested: number;
  accepted: number;
  eventId: string;
  occurredAt: Date;
}

export interface EventRow {
  id: string;
  accountId: string;
  tasks: number;
  occurredAt: Date;
  sponsored: number;
  unsponsored: number;
  allocations: string;
}

const iso = (d: Date) => d.toISOString();

export function createIngestRepository(db: Db) {
  /**
   * Everything the allocation reads, in one round trip: the accounts named by id or external
   * id (with their clock's time), the events already recorded under these ids, and every
   * enrollment of those accounts with its effective expiration and limit.
   */
  async function readBatch(
    input: { accountIds: string[]; externalIds: string[]; eventIds: string[]; since: Date },
    tx: Db = db,
  ): Promise<{ accounts: AccountRef[]; events: StoredEvent[]; enrollments: EnrollmentRef[] }> {
    const [row] = await queryRows<{
      accounts: AccountRef[] | null;
      events: StoredEvent[] | null;
      enrollments: EnrollmentRef[] | null;
    }>(
      tx,
      sql`with acc as (
            select a.id, a.external_id, ${ms(sql`tc.frozen_time`)} as clock_time
            from accounts a left join test_clocks tc on tc.id = a.test_clock_id
            where a.id = any(${param(input.accountIds)}::uuid[]) or a.external_id = any(${param(input.externalIds)}::text[])
          )
          select
            (select json_agg(json_build_object('id', id, 'externalId', external_id, 'clockTime', clock_time)) from acc) as accounts,
            (select json_agg(json_build_object('id', u.id, 'accountId', u.account_id, 'tasks', u.tasks,
                      'occurredAt', ${ms(sql`u.occurred_at`)}, 'sponsored', u.sponsored,
                      'unsponsored', u.unsponsored, 'allocations', u.allocations))
               from usage_events u where u.id = any(${param(input.eventIds)}::text[])) as events,
            (select json_agg(json_build_object('id', e.id, 'promotionId', e.promotion_id, 'accountId', e.account_id,
                      'partnerId', e.partner_id, 'enrolledAt', ${ms(sql`e.enrolled_at`)},
                      'unenrolledAt', ${ms(sql`e.unenrolled_at`)},
                      'expiresAt', ${ms(effectiveExpirationSql(sql`e.expires_at`, sql`p.ends_at`))},
                      'taskLimitPerMonth', p.task_limit_per_month,
                      'counters', (select json_agg(json_build_object('cycleStart', ${ms(sql`c.cycle_start`)}, 'used', c.used))
                                   from usage_counters c
                                   where c.enrollment_id = e.id
                                     and c.cycle_start >= least(${input.since.toISOString()}::timestamptz,
                                                                tc.frozen_time - interval '32 days'))))
               from enrollments e join promotions p on p.id = e.promotion_id
               left join test_clocks tc on tc.id = e.test_clock_id
               where e.account_id in (select id from acc)) as enrollments`,
    );
    return { accounts: row?.accounts ?? [], events: row?.events ?? [], enrollments: row?.enrollments ?? [] };
  }

  /** Recorded events by id (a retry's ids that another request recorded meanwhile). */
  async function readEvents(ids: string[], tx: Db = db): Promise<StoredEvent[]> {
    return queryRows<StoredEvent>(
      tx,
      sql`select u.id, u.account_id as "accountId", u.tasks, ${ms(sql`u.occurred_at`)} as "occurredAt",
                 u.sponsored, u.unsponsored, u.allocations
          from usage_events u where u.id = any(${param(ids)}::text[])`,
    );
  }

  /**
   * A retry's claim on its event ids, before it allocates: the rows inserted with empty results
   * (writeLocked fills them), sorted by id as every write inserts them; returns the ids claimed.
   * One another request holds is waited for and then not claimed.
   */
  async function claimEvents(
    events: Array<{ id: string; accountId: string; tasks: number; at: Date }>,
    receivedAt: Date,
    tx: Db = db,
  ): Promise<Set<string>> {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`insert into usage_events (id, account_id, tasks, occurred_at, sponsored, unsponsored, allocations, received_at)
          select v.id, v.account_id, v.tasks, v.occurred_at, 0, 0, '[]'::jsonb, ${iso(receivedAt)}::timestamptz
          from unnest(${param(events.map((e) => e.id))}::text[], ${param(events.map((e) => e.accountId))}::uuid[],
                      ${param(events.map((e) => e.tasks))}::int[],
                      ${param(events.map((e) => iso(e.at)))}::timestamptz[]) as v(id, account_id, tasks, occurred_at)
          order by v.id collate "C"
          on conflict (id) do nothing
          returning id`,
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * A retry's counters, created when missing and locked until commit in key order, with their
   * totals: holding them, its allocation cannot be overtaken.
   */
  async function lockCounters(keys: CounterKey[], tx: Db = db): Promise<Map<string, number>> {
    const used = new Map<string, number>();
    if (keys.length === 0) return used;
    const rows = await queryRows<{ enrollment_id: string; cycle_start: number; used: number }>(
      tx,
      sql`insert into usage_counters (enrollment_id, cycle_start, used)
          select k.enrollment_id, k.cycle_start, 0
          from unnest(${param(keys.map((k) => k.enrollmentId))}::uuid[], ${param(keys.map((k) => iso(k.cycleStart)))}::timestamptz[])
            as k(enrollment_id, cycle_start)
          order by k.enrollment_id, k.cycle_start
          on conflict (enrollment_id, cycle_start) do update set used = usage_counters.used
          returning enrollment_id, ${ms(sql`cycle_start`)} as cycle_start, used`,
    );
    for (const r of rows) used.set(counterKey(r.enrollment_id, r.cycle_start), r.used);
    return used;
  }

  /**
   * A retry's writes, its ids claimed and its limited counters locked: the counters moved
   * (unlimited ones created when missing), the ledger rows, the claimed events' results.
   */
  async function writeLocked(
    input: {
      counters: Array<CounterKey & { add: number }>;
      ledger: LedgerRow[];
      events: EventRow[];
      recordedAt: Date;
    },
    tx: Db = db,
  ): Promise<{ lost: boolean; after: Map<string, number> }> {
    const { counters, ledger, events } = input;
    const rows = await queryRows<{ enrollment_id: string | null; cycle_start: number | null; used: number }>(
      tx,
      sql`with moved as (
            insert into usage_counters (enrollment_id, cycle_start, used)
            select v.enrollment_id, v.cycle_start, v.add
            from unnest(${param(counters.map((k) => k.enrollmentId))}::uuid[],
                        ${param(counters.map((k) => iso(k.cycleStart)))}::timestamptz[],
                        ${param(counters.map((k) => k.add))}::int[]) as v(enrollment_id, cycle_start, add)
            order by v.enrollment_id, v.cycle_start
            on conflict (enrollment_id, cycle_start) do update set used = usage_counters.used + excluded.used
            returning enrollment_id, ${ms(sql`cycle_start`)} as cycle_start, used
          ), ledger as (
            insert into usage_ledger (id, enrollment_id, cycle_start, tasks_requested, tasks_accepted,
                                      event_id, occurred_at, recorded_at)
            select v.id, v.enrollment_id, v.cycle_start, v.requested, v.accepted, v.event_id, v.occurred_at,
                   ${iso(input.recordedAt)}::timestamptz
            from unnest(${param(ledger.map((l) => l.id))}::uuid[], ${param(ledger.map((l) => l.enrollmentId))}::uuid[],
                        ${param(ledger.map((l) => iso(l.cycleStart)))}::timestamptz[],
                        ${param(ledger.map((l) => l.requested))}::int[], ${param(ledger.map((l) => l.accepted))}::int[],
                        ${param(ledger.map((l) => l.eventId))}::text[],
                        ${param(ledger.map((l) => iso(l.occurredAt)))}::timestamptz[])
              as v(id, enrollment_id, cycle_start, requested, accepted, event_id, occurred_at)
          ), results as (
            update usage_events u set sponsored = v.sponsored, unsponsored = v.unsponsored, allocations = v.allocations::jsonb
            from unnest(${param(events.map((e) => e.id))}::text[], ${param(events.map((e) => e.sponsored))}::int[],
                        ${param(events.map((e) => e.unsponsored))}::int[], ${param(events.map((e) => e.allocations))}::text[])
              as v(id, sponsored, unsponsored, allocations)
            where u.id = v.id
          )
          select m.enrollment_id, m.cycle_start, m.used from (select 1) one left join moved m on true`,
    );
    const after = new Map<string, number>();
    for (const r of rows) {
      if (r.enrollment_id !== null && r.cycle_start !== null)
        after.set(counterKey(r.enrollment_id, r.cycle_start), r.used);
    }
    return { lost: false, after };
  }

  /**
   * The batch's writes in one statement, in a fixed order every request keeps, so two never
   * deadlock: first the events with their results, sorted by id (the primary key decides
   * between two requests recording one id: the later waits, then finds it taken); then each
   * counter moved by its planned increment, sorted by key; then the ledger rows. Rule 3 without
   * a read lock: an existing counter moves only if the increment still fits under its
   * promotion's current limit. A counter that did not move (another request drew from it since
   * this one read it) or an event not inserted (another request recorded it first) makes the
   * result `lost`: the caller rolls back and starts over from a fresh read. Returns each moved
   * counter's total after the increment.
   */
  async function writeBatch(
    input: {
      counters: Array<CounterKey & { add: number }>;
      ledger: LedgerRow[];
      events: EventRow[];
      recordedAt: Date;
    },
    tx: Db = db,
  ): Promise<{ lost: boolean; after: Map<string, number> }> {
    const { counters, ledger, events } = input;
    const rows = await queryRows<{
      enrollment_id: string | null;
      cycle_start: number | null;
      used: number;
      inserted: number;
    }>(
      tx,
      sql`with recorded as (
            insert into usage_events (id, account_id, tasks, occurred_at, sponsored, unsponsored, allocations, received_at)
            select v.id, v.account_id, v.tasks, v.occurred_at, v.sponsored, v.unsponsored, v.allocations::jsonb,
                   ${iso(input.recordedAt)}::timestamptz
            from unnest(${param(events.map((e) => e.id))}::text[], ${param(events.map((e) => e.accountId))}::uuid[],
                        ${param(events.map((e) => e.tasks))}::int[],
                        ${param(events.map((e) => iso(e.occurredAt)))}::timestamptz[],
                        ${param(events.map((e) => e.sponsored))}::int[], ${param(events.map((e) => e.unsponsored))}::int[],
                        ${param(events.map((e) => e.allocations))}::text[])
              as v(id, account_id, tasks, occurred_at, sponsored, unsponsored, allocations)
            order by v.id collate "C"
            on conflict (id) do nothing
            returning 1
          ), inserted as (
            select count(*)::int as n from recorded
          ), moved as (
            -- After the events (the subquery on inserted makes this wait for them).
            insert into usage_counters (enrollment_id, cycle_start, used)
            select v.enrollment_id, v.cycle_start, v.add
            from unnest(${param(counters.map((k) => k.enrollmentId))}::uuid[],
                        ${param(counters.map((k) => iso(k.cycleStart)))}::timestamptz[],
                        ${param(counters.map((k) => k.add))}::int[]) as v(enrollment_id, cycle_start, add)
            where (select n from inserted) >= 0
            order by v.enrollment_id, v.cycle_start
            on conflict (enrollment_id, cycle_start) do update set used = usage_counters.used + excluded.used
            where usage_counters.used + excluded.used <= (
              select coalesce(p.task_limit_per_month, ${INT4_MAX})
              from enrollments e join promotions p on p.id = e.promotion_id
              where e.id = excluded.enrollment_id)
            returning enrollment_id, ${ms(sql`cycle_start`)} as cycle_start, used
          ), ledger as (
            insert into usage_ledger (id, enrollment_id, cycle_start, tasks_requested, tasks_accepted,
                                      event_id, occurred_at, recorded_at)
            select v.id, v.enrollment_id, v.cycle_start, v.requested, v.accepted, v.event_id, v.occurred_at,
                   ${iso(input.recordedAt)}::timestamptz
            from unnest(${param(ledger.map((l) => l.id))}::uuid[], ${param(ledger.map((l) => l.enrollmentId))}::uuid[],
                        ${param(ledger.map((l) => iso(l.cycleStart)))}::timestamptz[],
                        ${param(ledger.map((l) => l.requested))}::int[], ${param(ledger.map((l) => l.accepted))}::int[],
                        ${param(ledger.map((l) => l.eventId))}::text[],
                        ${param(ledger.map((l) => iso(l.occurredAt)))}::timestamptz[])
              as v(id, enrollment_id, cycle_start, requested, accepted, event_id, occurred_at)
            where (select count(*) from moved) >= 0
          )
          select m.enrollment_id, m.cycle_start, m.used, (select n from inserted) as inserted
          from (select 1) one left join moved m on true`,
    );
    const after = new Map<string, number>();
    for (const r of rows) {
      if (r.enrollment_id !== null && r.cycle_start !== null)
        after.set(counterKey(r.enrollment_id, r.cycle_start), r.used);
    }
    const inserted = rows[0]?.inserted ?? 0;
    return { lost: after.size !== counters.length || inserted !== events.length, after };
  }

  /**
   * CONTRACT §12 entitlements, in one round trip: the account (by id or external id), the
   * instant asked about (`at`, else its clock's now, else `wallNow`), and each enrollment of it
   * with the counters whose cycle could contain that instant (started at most 31 days before).
   */
  async function readEntitlement(
    input: { accountId: string | null; externalId: string | null; at: Date | null; wallNow: Date },
    tx: Db = db,
  ): Promise<
    | {
        account: AccountRef;
        at: number;
        enrollments: Array<EnrollmentRef & { counters: Array<{ cycleStart: number; used: number }> | null }>;
      }
    | undefined
  > {
    const [row] = await queryRows<{
      id: string;
      external_id: string | null;
      clock_time: number | null;
      at: number;
      enrollments: Array<
        EnrollmentRef & { counters: Array<{ cycleStart: number; used: number }> | null }
      > | null;
    }>(
      tx,
      sql`select a.id, a.external_id, ${ms(sql`tc.frozen_time`)} as clock_time, ${ms(sql`t.at`)} as at,
            (select json_agg(json_build_object('id', e.id, 'promotionId', e.promotion_id, 'accountId', e.account_id,
                      'partnerId', e.partner_id, 'enrolledAt', ${ms(sql`e.enrolled_at`)},
                      'unenrolledAt', ${ms(sql`e.unenrolled_at`)},
                      'expiresAt', ${ms(effectiveExpirationSql(sql`e.expires_at`, sql`p.ends_at`))},
                      'taskLimitPerMonth', p.task_limit_per_month,
                      'counters', (select json_agg(json_build_object('cycleStart', ${ms(sql`c.cycle_start`)}, 'used', c.used))
                                   from usage_counters c
                                   where c.enrollment_id = e.id and c.cycle_start <= t.at
                                     and c.cycle_start > t.at - interval '31 days')))
             from enrollments e join promotions p on p.id = e.promotion_id
             where e.account_id = a.id and e.enrolled_at <= t.at
               and (e.unenrolled_at is null or e.unenrolled_at > t.at)) as enrollments
          from accounts a
          left join test_clocks tc on tc.id = a.test_clock_id
          cross join lateral (select coalesce(${input.at?.toISOString() ?? null}::timestamptz, tc.frozen_time,
                                              ${input.wallNow.toISOString()}::timestamptz) as at) t
          where ${input.accountId === null ? sql`a.external_id = ${input.externalId}` : sql`a.id = ${input.accountId}::uuid`}`,
    );
    if (!row) return undefined;
    return {
      account: { id: row.id, externalId: row.external_id, clockTime: row.clock_time },
      at: row.at,
      enrollments: row.enrollments ?? [],
    };
  }

  return { readBatch, readEvents, claimEvents, lockCounters, writeLocked, writeBatch, readEntitlement };
}

/** A counter's key in maps: the enrollment and its cycle's start in epoch milliseconds. */
export const counterKey = (enrollmentId: string, cycleStartMs: number) => `${enrollmentId}@${cycleStartMs}`;

export type IngestRepository = ReturnType<typeof createIngestRepository>;
