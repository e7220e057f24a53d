/**
 * The event log (CONTRACT §8 and §6): every change is one event, written once, in the change's
 * own statement or transaction. The partner's feed (GET /v2/events), an enrollment's audit trail
 * and webhook deliveries all read the one table, `events`. The only code other features call to
 * write an event:
 *
 *   await eventLog.append(tx, { partnerId, type, data, at, enrollmentId?, actor, dedupKey? })
 *
 * ONE statement inserts the event and one pending delivery per enabled endpoint of that partner
 * subscribed to its type, so a rolled-back change leaves no event and a committed one always has
 * its deliveries (the transactional outbox). `dedupKey` makes "once per cause" a database rule:
 * a second event with the same key is silently not written (e.g.
 * `usage.limit_reached:<enrollment>:<cycle>`).
 *
 * `eventCtes({...})` is the same insert as CTEs to append to the top-level WITH of a statement
 * that does its whole job in one round trip (PostgreSQL allows data-modifying CTEs only at the
 * top level, so the insert cannot be nested inside another CTE). It writes one event per row
 * of `source` (none when the change did not happen), with SQL expressions over that source:
 *
 *   with …, inserted as (insert into enrollments … returning id, …),
 *   ${eventCtes({
 *     name: 'created_event',
 *     source: sql`inserted i`,
 *     partnerId: sql`${partnerId}::uuid`,
 *     type: 'enrollment.created',
 *     enrollmentId: sql`i.id`,
 *     actor: { type: 'partner', id: sql`${partnerId}::text` },
 *     data: promotionDetailSql({...}),   // src/rules/ fragments over i
 *     at: sql`${now}::timestamptz`,
 *     // no dedupKey: the insert of a new enrollment happens once; keys are for causes that
 *     // can recur (usage.limit_reached:<enrollment>:<cycle>)
 *   })}
 *   select …
 *
 * Values are bind parameters or the caller's SQL. The dispatcher (src/webhooks/dispatcher.ts)
 * delivers.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { eventIdSql, newEventId } from '../db/ids.js';
import { traceContext } from '../trace-context.js';
import type { ActorType, LogEventType } from './event-types.js';

export interface LogEvent {
  partnerId: string;
  type: LogEventType;
  /** The event's `data`: the enrollment as GET shows it, the promotion, or a usage batch's facts. */
  data: Record<string, unknown>;
  /** When it happened (for an enrollment on a test clock, the clock's time: CONTRACT §9). */
  at: Date;
  /**
   * When it was written, on the wall clock: the feed's order, its 30 days, and when the
   * deliveries first become due (webhook timing stays on real time, CONTRACT §9); defaults to `at`.
   */
  recordedAt?: Date;
  /** The enrollment it happened to: its audit trail lists it. */
  enrollmentId?: string | null;
  actor: { type: ActorType; id: string | null };
  /** At most one event per key, ever; null/undefined = no dedup. */
  dedupKey?: string | null;
}

/** The insert of the event and its deliveries as one SQL statement. */
export function appendSql(event: LogEvent, eventId: string = newEventId()): SQL {
  const recorded = event.recordedAt ?? event.at;
  return sql`with ${eventCtes({
    name: 'appended',
    source: sql`(select 1) as one`,
    id: sql`${eventId}::text`,
    partnerId: sql`${event.partnerId}::uuid`,
    type: event.type,
    enrollmentId: sql`${event.enrollmentId ?? null}::uuid`,
    actor: { type: event.actor.type, id: sql`${event.actor.id}::text` },
    data: sql`${JSON.stringify(event.data)}::jsonb`,
    dedupKey: sql`${event.dedupKey ?? null}::text`,
    traceContext: sql`${traceContext.current()}::text`,
    at: sql`${event.at}::timestamptz`,
    recordedAt: sql`${recorded}::timestamptz`,
  })} select 1`;
}

export interface EventCteOptions {
  /** Name of the events CTE (`returning id, enrollment_id`); `<name>_deliveries` follows it. */
  name: string;
  /** What the events are selected from: the rows the change produced (a CTE with its alias). */
  source: SQL;
  partnerId: SQL;
  /** The type, or a SQL expression over the source giving it (appendMany). */
  type: LogEventType | SQL;
  /** A jsonb expression: the event's data. */
  data: SQL;
  at: SQL;
  /** The wall clock's instant (see LogEvent.recordedAt); defaults to `at`. */
  recordedAt?: SQL;
  enrollmentId?: SQL;
  actor: { type: ActorType; id?: SQL };
  /** A SQL expression for the actor's type, over the source, instead of actor.type (appendMany). */
  actorType?: SQL;
  dedupKey?: SQL | null;
  /** The event id; by default made in SQL, as newEventId makes it (eventIdSql). */
  id?: SQL;
  /** A text expression: the `traceparent` its deliveries continue (CONTRACT §7); null by default. */
  traceContext?: SQL;
}

/**
 * The insert as two CTE definitions (`<name> as (…), <name>_deliveries as (…)`) to splice into
 * a statement's top-level WITH list.
 */
export function eventCtes(o: EventCteOptions): SQL {
  const events = sql.raw(o.name);
  const deliveries = sql.raw(`${o.name}_deliveries`);
  const recorded = o.recordedAt ?? o.at;
  return sql`${events} as (
      insert into events (id, partner_id, type, enrollment_id, actor_type, actor_id, data, dedup_key,
                          trace_context, occurred_at, created_at)
      select ${o.id ?? eventIdSql()}, ${o.partnerId}, ${o.type}, ${o.enrollmentId ?? sql`null::uuid`},
             ${o.actorType ?? o.actor.type}, ${o.actor.id ?? sql`null::text`}, ${o.data}, ${o.dedupKey ?? sql`null::text`},
             ${o.traceContext ?? sql`null::text`}, ${o.at}, ${recorded}
      from ${o.source}
      on conflict (dedup_key) where dedup_key is not null do nothing
      returning id, partner_id, type, enrollment_id, created_at
    ), ${deliveries} as (
      insert into webhook_deliveries
        (id, event_id, endpoint_id, status, attempts, next_attempt_at, created_at, updated_at)
      select gen_random_uuid(), ev.id, ep.id, 'pending', 0, ev.created_at, ev.created_at, ev.created_at
      from ${events} ev
      join webhook_endpoints ep
        on ep.partner_id = ev.partner_id and ep.status = 'enabled' and ev.type = any(ep.event_types)
      returning id
    )`;
}

/** Writes an event and its deliveries in `tx` (one statement). */
async function append(tx: Db, event: LogEvent): Promise<void> {
  await tx.execute(appendSql(event));
}

/** Several events in `tx`. */
async function appendAll(tx: Db, events: LogEvent[]): Promise<void> {
  for (const event of events) await tx.execute(appendSql(event));
}

/**
 * Several events in `tx` in ONE statement, whatever their number: the events and their
 * deliveries from arrays (CONTRACT §12: a metering batch's crossings, however many).
 */
async function appendMany(tx: Db, events: LogEvent[]): Promise<void> {
  if (events.length === 0) return;
  const col = <T>(f: (e: LogEvent) => T) => sql.param(events.map(f));
  await tx.execute(
    sql`with ${eventCtes({
      name: 'appended',
      source: sql`unnest(${col(() => newEventId())}::text[], ${col((e) => e.partnerId)}::uuid[], ${col((e) => e.type)}::text[],
                         ${col((e) => e.enrollmentId ?? null)}::uuid[], ${col((e) => e.actor.type)}::text[],
                         ${col((e) => e.actor.id)}::text[], ${col((e) => JSON.stringify(e.data))}::text[],
                         ${col((e) => e.dedupKey ?? null)}::text[], ${col((e) => e.at.toISOString())}::timestamptz[],
                         ${col((e) => (e.recordedAt ?? e.at).toISOString())}::timestamptz[])
                as v(id, partner_id, type, enrollment_id, actor_type, actor_id, data, dedup_key, at, recorded)`,
      id: sql`v.id`,
      partnerId: sql`v.partner_id`,
      type: sql`v.type`,
      enrollmentId: sql`v.enrollment_id`,
      actor: { type: 'admin', id: sql`v.actor_id` },
      actorType: sql`v.actor_type`,
      data: sql`v.data::jsonb`,
      dedupKey: sql`v.dedup_key`,
      at: sql`v.at`,
      recordedAt: sql`v.recorded`,
    })} select 1`,
  );
}

export const eventLog = { append, appendAll, appendMany };

export type EventLog = typeof eventLog;
