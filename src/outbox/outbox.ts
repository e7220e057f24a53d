/**
 * The transactional outbox: the only webhook code other features call.
 *
 *   await outbox.enqueue(tx, { partnerId, type, data, at, dedupKey? })
 *
 * Call it inside the transaction of the change that causes the event. ONE statement inserts
 * the event and one pending delivery per enabled endpoint of that partner subscribed to the
 * type, so a rolled-back change leaves no event and a committed one always has its
 * deliveries. `dedupKey` makes "once per cause" a database rule: a second event with the same
 * key is silently not written (e.g. `usage.limit_reached:<enrollment>:<cycle>`).
 *
 * `outboxCtes({...})` is the same insert as CTEs to append to the top-level WITH of a
 * statement that does its whole job in one round trip (PostgreSQL allows data-modifying
 * CTEs only at the top level, so the insert cannot be nested inside another CTE). It writes
 * one event per row of `source` (none when the change did not happen), with SQL
 * expressions over that source:
 *
 *   with …, inserted as (insert into enrollments … returning id, …),
 *   ${outboxCtes({
 *     name: 'created_event',
 *     source: sql`inserted i`,
 *     partnerId: sql`${partnerId}::uuid`,
 *     type: 'enrollment.created',
 *     data: sql`${JSON.stringify(detail)}::jsonb`,  // or jsonb_build_object(…) over i
 *     at: sql`${now}::timestamptz`,
 *     // no dedupKey: the insert of a new enrollment happens once; keys are for causes that
 *     // can recur (usage.limit_reached:<enrollment>:<cycle>)
 *   })}
 *   select …
 *
 * Data built in SQL uses the fragments of src/rules/ (promotionDetailSql, rfc3339Sql). Values
 * are bind parameters or the caller's SQL. The dispatcher (dispatcher.ts) delivers.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { newEventId } from '../db/ids.js';
import type { EventType } from './event-types.js';

export interface OutboxEvent {
  partnerId: string;
  type: EventType;
  /** The event's `data` (SPEC §8): the enrollment as GET shows it, or the promotion. */
  data: Record<string, unknown>;
  /** When it happened (for an enrollment on a test clock, the clock's time: SPEC §9). */
  at: Date;
  /**
   * When its deliveries first become due, on the wall clock (webhook timing stays on real
   * time, SPEC §9); defaults to `at`.
   */
  dueAt?: Date;
  /** At most one event per key, ever; null/undefined = no dedup. */
  dedupKey?: string | null;
}

/** The insert of the event and its deliveries as one SQL statement. */
export function enqueueSql(event: OutboxEvent, eventId: string = newEventId()): SQL {
  const dedup = event.dedupKey ?? null;
  const due = event.dueAt ?? event.at;
  return sql`with webhook_event as (
      insert into webhook_events (id, partner_id, type, data, dedup_key, created_at)
      values (${eventId}, ${event.partnerId}, ${event.type}, ${JSON.stringify(event.data)}::jsonb,
              ${dedup}, ${event.at})
      on conflict (dedup_key) do nothing
      returning id, partner_id, type, created_at
    )
    insert into webhook_deliveries
      (id, event_id, endpoint_id, status, attempts, next_attempt_at, created_at, updated_at)
    select gen_random_uuid(), ev.id, ep.id, 'pending', 0, ${due}::timestamptz, ${due}::timestamptz, ${due}::timestamptz
    from webhook_event ev
    join webhook_endpoints ep
      on ep.partner_id = ev.partner_id and ep.status = 'enabled' and ev.type = any(ep.event_types)`;
}

export interface OutboxCteOptions {
  /** Name of the events CTE (`returning id, partner_id, type, created_at`); `<name>_deliveries` follows it. */
  name: string;
  /** What the events are selected from: the rows the change produced (a CTE with its alias). */
  source: SQL;
  partnerId: SQL;
  type: EventType;
  /** A jsonb expression: the event's data. */
  data: SQL;
  at: SQL;
  dedupKey?: SQL | null;
  /** The event id; by default made in SQL (`evt_` + 32 hex). */
  id?: SQL;
  /** When the deliveries first become due, on the wall clock; defaults to `at`. */
  dueAt?: SQL;
}

/**
 * The outbox insert as two CTE definitions (`<name> as (…), <name>_deliveries as (…)`) to
 * splice into a statement's top-level WITH list. Event ids are made in SQL (`evt_` + 32 hex).
 */
export function outboxCtes(o: OutboxCteOptions): SQL {
  const events = sql.raw(o.name);
  const deliveries = sql.raw(`${o.name}_deliveries`);
  return sql`${events} as (
      insert into webhook_events (id, partner_id, type, data, dedup_key, created_at)
      select ${o.id ?? sql`'evt_' || replace(gen_random_uuid()::text, '-', '')`}, ${o.partnerId}, ${o.type}, ${o.data},
             ${o.dedupKey ?? sql`null`}, ${o.at}
      from ${o.source}
      on conflict (dedup_key) do nothing
      returning id, partner_id, type, created_at
    ), ${deliveries} as (
      insert into webhook_deliveries
        (id, event_id, endpoint_id, status, attempts, next_attempt_at, created_at, updated_at)
      select gen_random_uuid(), ev.id, ep.id, 'pending', 0, ${o.dueAt ?? sql`ev.created_at`},
             ${o.dueAt ?? sql`ev.created_at`}, ${o.dueAt ?? sql`ev.created_at`}
      from ${events} ev
      join webhook_endpoints ep
        on ep.partner_id = ev.partner_id and ep.status = 'enabled' and ev.type = any(ep.event_types)
      returning id
    )`;
}

export const outbox = {
  /** Writes the event and its deliveries in `tx` (one statement). */
  async enqueue(tx: Db, event: OutboxEvent): Promise<void> {
    await tx.execute(enqueueSql(event));
  },

  /** Several events in `tx`, e.g. a sweeper batch. */
  async enqueueAll(tx: Db, events: OutboxEvent[]): Promise<void> {
    for (const event of events) await tx.execute(enqueueSql(event));
  },
};

export type Outbox = typeof outbox;
