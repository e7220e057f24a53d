// CONTRACT §12: the statements of one metering request. A batch of up to 1,000 events is a
// fixed handful of named statements over arrays, never one per event: one read (accounts,
// earlier events, the accounts' enrollments with their recent counters) and one write (counters,
// ledger rows, the events' results), then the rare threshold events. Arrays travel as array
// literals built in src/db/sql.ts, instants as epoch milliseconds; every statement is prepared
// once per connection (src/db/prepared.ts), so a batch pays no planning.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { fromEpochMs, intArray, epochMs as ms, textArray, uuidArray } from '../db/sql.js';
import { effectiveExpirationSql } from '../rules/expiration.js';
import { INT4_MAX } from '../rules/usage.js';

const ph = (name: string) => sql.placeholder(name);
/** A placeholder holding an array literal, cast to its element type. */
const arr = (name: string, type: 'uuid' | 'text' | 'int' | 'bigint') => sql`${ph(name)}::${sql.raw(type)}[]`;

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

/** Each enrollment of the accounts in `acc`, with its counters started since `since` (JSON). */
const enrollmentsJson = (accounts: SQL, counterSince: SQL) => sql`json_agg(json_build_object(
          'id', e.id, 'promotionId', e.promotion_id, 'accountId', e.account_id,
          'partnerId', e.partner_id, 'enrolledAt', ${ms(sql`e.enrolled_at`)},
          'unenrolledAt', ${ms(sql`e.unenrolled_at`)},
          'expiresAt', ${ms(effectiveExpirationSql(sql`e.expires_at`, sql`p.ends_at`))},
          'taskLimitPerMonth', p.task_limit_per_month,
          'counters', (select json_agg(json_build_object('cycleStart', ${ms(sql`c.cycle_start`)}, 'used', c.used))
                       from usage_counters c where c.enrollment_id = e.id and ${counterSince})))
        from enrollments e join promotions p on p.id = e.promotion_id
        left join test_clocks tc on tc.id = e.test_clock_id
        where e.account_id in (${accounts})`;

/**
 * Everything the allocation reads, in one round trip: the accounts named by id or external id
 * (each found through its own index, with its clock's time), the events already recorded under
 * these ids, and every enrollment of those accounts with its effective expiration, limit and
 * the counters of cycles that started since `since` (or its clock's now − 32 days).
 */
const readBatchStatement = prepared<
  { accounts: AccountRef[] | null; events: StoredEvent[] | null; enrollments: EnrollmentRef[] | null },
  { accountIds: string; externalIds: string; eventIds: string; since: number }
>(
  'usage_batch_find_context',
  sql`with named as (
        select a.id, a.external_id, a.test_clock_id from accounts a where a.id = any(${arr('accountIds', 'uuid')})
        union
        select a.id, a.external_id, a.test_clock_id from accounts a where a.external_id = any(${arr('externalIds', 'text')})
      ), acc as (
        select n.id, n.external_id, ${ms(sql`tc.frozen_time`)} as clock_time
        from named n left join test_clocks tc on tc.id = n.test_clock_id
      )
      select
        (select json_agg(json_build_object('id', id, 'externalId', external_id, 'clockTime', clock_time)) from acc) as accounts,
        (select json_agg(json_build_object('id', u.id, 'accountId', u.account_id, 'tasks', u.tasks,
                  'occurredAt', ${ms(sql`u.occurred_at`)}, 'sponsored', u.sponsored,
                  'unsponsored', u.unsponsored, 'allocations', u.allocations))
           from usage_events u where u.id = any(${arr('eventIds', 'text')})) as events,
        (select ${enrollmentsJson(
          sql`select id from acc`,
          sql`c.cycle_start >= least(${fromEpochMs(sql`${ph('since')}::bigint`)}, tc.frozen_time - interval '32 days')`,
        )}) as enrollments`,
  { asFunction: true },
);

/** Recorded events by id (a locked attempt's ids that another request recorded meanwhile). */
const readEventsStatement = prepared<StoredEvent, { ids: string }>(
  'usage_event_find_by_ids',
  sql`select u.id, u.account_id as "accountId", u.tasks, ${ms(sql`u.occurred_at`)} as "occurredAt",
             u.sponsored, u.unsponsored, u.allocations
      from usage_events u where u.id = any(${arr('ids', 'text')})`,
  { asFunction: true },
);

/** The events' rows from their arrays, sorted by id as every write inserts them. */
const eventValues = (results: SQL) => sql`
      select v.id, v.account_id, v.tasks, ${fromEpochMs(sql`v.occurred_at`)} as occurred_at, ${results},
             ${fromEpochMs(sql`${ph('recordedAt')}::bigint`)} as received_at
      from unnest(${arr('eventIds', 'text')}, ${arr('eventAccounts', 'uuid')}, ${arr('eventTasks', 'int')},
                  ${arr('eventOccurredAt', 'bigint')}, ${arr('eventSponsored', 'int')},
                  ${arr('eventUnsponsored', 'int')}, ${arr('eventAllocations', 'text')})
        as v(id, account_id, tasks, occurred_at, sponsored, unsponsored, allocations)
      order by v.id collate "C"`;

/** The counters' planned increments, sorted by key as every write takes them. */
const counterValues = (guard: SQL) => sql`
      select v.enrollment_id, ${fromEpochMs(sql`v.cycle_start`)} as cycle_start, v.add
      from unnest(${arr('counterEnrollments', 'uuid')}, ${arr('counterCycles', 'bigint')}, ${arr('counterAdds', 'int')})
        as v(enrollment_id, cycle_start, add)
      where ${guard}
      order by v.enrollment_id, v.cycle_start`;

/** The ledger rows, one per allocation. */
const ledgerInsert = (guard: SQL) => sql`
      insert into usage_ledger (id, enrollment_id, cycle_start, tasks_requested, tasks_accepted,
                                event_id, occurred_at, recorded_at)
      select v.id, v.enrollment_id, ${fromEpochMs(sql`v.cycle_start`)}, v.requested, v.accepted, v.event_id,
             ${fromEpochMs(sql`v.occurred_at`)}, ${fromEpochMs(sql`${ph('recordedAt')}::bigint`)}
      from unnest(${arr('ledgerIds', 'uuid')}, ${arr('ledgerEnrollments', 'uuid')}, ${arr('ledgerCycles', 'bigint')},
                  ${arr('ledgerRequested', 'int')}, ${arr('ledgerAccepted', 'int')}, ${arr('ledgerEvents', 'text')},
                  ${arr('ledgerOccurredAt', 'bigint')})
        as v(id, enrollment_id, cycle_start, requested, accepted, event_id, occurred_at)
      where ${guard}`;

type WriteParams = Record<
  | 'eventIds'
  | 'eventAccounts'
  | 'eventTasks'
  | 'eventOccurredAt'
  | 'eventSponsored'
  | 'eventUnsponsored'
  | 'eventAllocations'
  | 'counterEnrollments'
  | 'counterCycles'
  | 'counterAdds'
  | 'ledgerIds'
  | 'ledgerEnrollments'
  | 'ledgerCycles'
  | 'ledgerRequested'
  | 'ledgerAccepted'
  | 'ledgerEvents'
  | 'ledgerOccurredAt',
  string
> & { recordedAt: number };

type WrittenRow = {
  enrollment_id: string | null;
  cycle_start: number | null;
  used: number;
  inserted: number;
};

/**
 * The optimistic write, in one statement and a fixed order every request keeps, so two never
 * deadlock: first the events with their results, sorted by id (the primary key decides between
 * two requests recording one id: the later waits, then finds it taken); then each counter moved
 * by its planned increment, sorted by key; then the ledger rows. Rule 3 without a read lock: an
 * existing counter moves only if the increment still fits under its promotion's current limit.
 */
const writeBatchStatement = prepared<WrittenRow, WriteParams>(
  'usage_batch_insert_guarded',
  sql`with recorded as (
        insert into usage_events (id, account_id, tasks, occurred_at, sponsored, unsponsored, allocations, received_at)
        ${eventValues(sql`v.sponsored, v.unsponsored, v.allocations::jsonb`)}
        on conflict (id) do nothing
        returning 1
      ), inserted as (
        select count(*)::int as n from recorded
      ), moved as (
        -- After the events (the subquery on inserted makes this wait for them).
        insert into usage_counters (enrollment_id, cycle_start, used)
        ${counterValues(sql`(select n from inserted) >= 0`)}
        on conflict (enrollment_id, cycle_start) do update set used = usage_counters.used + excluded.used
        where usage_counters.used + excluded.used <= (
          select coalesce(p.task_limit_per_month, ${sql.raw(String(INT4_MAX))})
          from enrollments e join promotions p on p.id = e.promotion_id
          where e.id = excluded.enrollment_id)
        returning enrollment_id, ${ms(sql`cycle_start`)} as cycle_start, used
      ), ledger as (
        ${ledgerInsert(sql`(select count(*) from moved) >= 0`)}
      )
      select m.enrollment_id, m.cycle_start, m.used, (select n from inserted) as inserted
      from (select 1) one left join moved m on true`,
);

/**
 * A locked attempt's claim on its event ids, before it allocates: the rows inserted with empty
 * results (writeLocked fills them), sorted by id as every write inserts them; one another
 * request holds is waited for and then not claimed.
 */
const claimEventsStatement = prepared<
  { id: string },
  Omit<WriteParams, `counter${string}` | `ledger${string}`>
>(
  'usage_event_insert_claim',
  sql`insert into usage_events (id, account_id, tasks, occurred_at, sponsored, unsponsored, allocations, received_at)
      ${eventValues(sql`0, 0, '[]'::jsonb`)}
      on conflict (id) do nothing
      returning id`,
);

/**
 * A locked attempt's counters, every one it may draw from, created when missing and locked
 * until commit in key order (the order every write takes them in), with their totals: holding
 * them, its allocation cannot be overtaken, and its write waits for no other request.
 */
const lockCountersStatement = prepared<
  { enrollment_id: string; cycle_start: number; used: number },
  Pick<WriteParams, 'counterEnrollments' | 'counterCycles' | 'counterAdds'>
>(
  'usage_counter_lock_many',
  sql`insert into usage_counters (enrollment_id, cycle_start, used)
      ${counterValues(sql`true`)}
      on conflict (enrollment_id, cycle_start) do update set used = usage_counters.used
      returning enrollment_id, ${ms(sql`cycle_start`)} as cycle_start, used`,
);

/** A locked attempt's writes: its counters moved (all held), the ledger rows, the claimed events' results. */
const writeLockedStatement = prepared<WrittenRow, WriteParams>(
  'usage_batch_insert_locked',
  sql`with moved as (
        insert into usage_counters (enrollment_id, cycle_start, used)
        ${counterValues(sql`true`)}
        on conflict (enrollment_id, cycle_start) do update set used = usage_counters.used + excluded.used
        returning enrollment_id, ${ms(sql`cycle_start`)} as cycle_start, used
      ), ledger as (
        ${ledgerInsert(sql`true`)}
      ), results as (
        update usage_events u set sponsored = v.sponsored, unsponsored = v.unsponsored, allocations = v.allocations::jsonb
        from (${eventValues(sql`v.sponsored, v.unsponsored, v.allocations`)}) v
        where u.id = v.id
      )
      select m.enrollment_id, m.cycle_start, m.used, 0 as inserted from (select 1) one left join moved m on true`,
);

type Input = {
  counters: Array<CounterKey & { add: number }>;
  ledger: LedgerRow[];
  events: EventRow[];
  recordedAt: Date;
};

const eventParams = (events: EventRow[], recordedAt: Date) => ({
  eventIds: textArray(events.map((e) => e.id)),
  eventAccounts: uuidArray(events.map((e) => e.accountId)),
  eventTasks: intArray(events.map((e) => e.tasks)),
  eventOccurredAt: intArray(events.map((e) => e.occurredAt.getTime())),
  eventSponsored: intArray(events.map((e) => e.sponsored)),
  eventUnsponsored: intArray(events.map((e) => e.unsponsored)),
  eventAllocations: textArray(events.map((e) => e.allocations)),
  recordedAt: recordedAt.getTime(),
});

const counterParams = (counters: Array<CounterKey & { add: number }>) => ({
  counterEnrollments: uuidArray(counters.map((c) => c.enrollmentId)),
  counterCycles: intArray(counters.map((c) => c.cycleStart.getTime())),
  counterAdds: intArray(counters.map((c) => c.add)),
});

const writeParams = ({ counters, ledger, events, recordedAt }: Input): WriteParams => ({
  ...eventParams(events, recordedAt),
  ...counterParams(counters),
  ledgerIds: uuidArray(ledger.map((l) => l.id)),
  ledgerEnrollments: uuidArray(ledger.map((l) => l.enrollmentId)),
  ledgerCycles: intArray(ledger.map((l) => l.cycleStart.getTime())),
  ledgerRequested: intArray(ledger.map((l) => l.requested)),
  ledgerAccepted: intArray(ledger.map((l) => l.accepted)),
  ledgerEvents: textArray(ledger.map((l) => l.eventId)),
  ledgerOccurredAt: intArray(ledger.map((l) => l.occurredAt.getTime())),
});

const totalsAfter = (rows: WrittenRow[]) => {
  const after = new Map<string, number>();
  for (const r of rows) {
    if (r.enrollment_id !== null && r.cycle_start !== null)
      after.set(counterKey(r.enrollment_id, r.cycle_start), r.used);
  }
  return after;
};

export function createIngestRepository(db: Db) {
  async function readBatch(
    input: { accountIds: string[]; externalIds: string[]; eventIds: string[]; since: Date },
    tx: Db = db,
  ): Promise<{ accounts: AccountRef[]; events: StoredEvent[]; enrollments: EnrollmentRef[] }> {
    const [row] = await readBatchStatement(tx, {
      accountIds: uuidArray(input.accountIds),
      externalIds: textArray(input.externalIds),
      eventIds: textArray(input.eventIds),
      since: input.since.getTime(),
    });
    return { accounts: row?.accounts ?? [], events: row?.events ?? [], enrollments: row?.enrollments ?? [] };
  }

  const readEvents = (ids: string[], tx: Db = db): Promise<StoredEvent[]> =>
    readEventsStatement(tx, { ids: textArray(ids) });

  async function claimEvents(
    events: Array<{ id: string; accountId: string; tasks: number; at: Date }>,
    receivedAt: Date,
    tx: Db = db,
  ): Promise<Set<string>> {
    const rows = await claimEventsStatement(
      tx,
      eventParams(
        events.map((e) => ({
          id: e.id,
          accountId: e.accountId,
          tasks: e.tasks,
          occurredAt: e.at,
          sponsored: 0,
          unsponsored: 0,
          allocations: '[]',
        })),
        receivedAt,
      ),
    );
    return new Set(rows.map((r) => r.id));
  }

  async function lockCounters(keys: CounterKey[], tx: Db = db): Promise<Map<string, number>> {
    const used = new Map<string, number>();
    if (keys.length === 0) return used;
    const rows = await lockCountersStatement(tx, counterParams(keys.map((k) => ({ ...k, add: 0 }))));
    for (const r of rows) used.set(counterKey(r.enrollment_id, r.cycle_start), r.used);
    return used;
  }

  /** A locked attempt's writes (its ids claimed, every counter it moves held): it cannot lose. */
  async function writeLocked(
    input: Input,
    tx: Db = db,
  ): Promise<{ lost: boolean; after: Map<string, number> }> {
    return { lost: false, after: totalsAfter(await writeLockedStatement(tx, writeParams(input))) };
  }

  /**
   * The optimistic write. A counter that did not move (another request drew from it since this
   * one read it) or an event not inserted (another request recorded it first) makes the result
   * `lost`: the caller rolls back and starts over. Returns each moved counter's total after.
   */
  async function writeBatch(
    input: Input,
    tx: Db = db,
  ): Promise<{ lost: boolean; after: Map<string, number> }> {
    const rows = await writeBatchStatement(tx, writeParams(input));
    const after = totalsAfter(rows);
    const inserted = rows[0]?.inserted ?? 0;
    return { lost: after.size !== input.counters.length || inserted !== input.events.length, after };
  }

  return { readBatch, readEvents, claimEvents, lockCounters, writeLocked, writeBatch };
}

/** A counter's key in maps: the enrollment and its cycle's start in epoch milliseconds. */
export const counterKey = (enrollmentId: string, cycleStartMs: number) => `${enrollmentId}@${cycleStartMs}`;

export type IngestRepository = ReturnType<typeof createIngestRepository>;
