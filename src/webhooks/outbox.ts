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
 * `enqueueSql(event)` is the same insert as an SQL fragment (a data-modifying CTE body), for
 * statements that do their whole job in one round trip:
 *
 *   with created as (insert into enrollments … returning …),
 *        outbox as (${enqueueSql(event)})
 *   select …
 *
 * The fragment's values are all bind parameters. The dispatcher (dispatcher.ts) delivers.
 */
import { randomBytes } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { EventType } from './event-types.js';

export interface OutboxEvent {
  partnerId: string;
  type: EventType;
  /** The event's `data` (SPEC §8): the enrollment as GET shows it, or the promotion. */
  data: Record<string, unknown>;
  /** When it happened (the injected clock); also when its deliveries first become due. */
  at: Date;
  /** At most one event per key, ever; null/undefined = no dedup. */
  dedupKey?: string | null;
}

/** `evt_` + 24 base62-ish characters; the `webhook-id` of every delivery of the event. */
export const newEventId = () => `evt_${randomBytes(18).toString('base64url').replace(/[-_]/g, '0')}`;

/** The insert of the event and its deliveries as one SQL statement (usable as a CTE body). */
export function enqueueSql(event: OutboxEvent, eventId: string = newEventId()): SQL {
  const dedup = event.dedupKey ?? null;
  return sql`with webhook_event as (
      insert into webhook_events (id, partner_id, type, data, dedup_key, created_at)
      values (${eventId}, ${event.partnerId}, ${event.type}, ${JSON.stringify(event.data)}::jsonb,
              ${dedup}, ${event.at})
      on conflict (dedup_key) do nothing
      returning id, partner_id, type, created_at
    )
    insert into webhook_deliveries
      (id, event_id, endpoint_id, status, attempts, next_attempt_at, created_at, updated_at)
    select gen_random_uuid(), ev.id, ep.id, 'pending', 0, ev.created_at, ev.created_at, ev.created_at
    from webhook_event ev
    join webhook_endpoints ep
      on ep.partner_id = ev.partner_id and ep.status = 'enabled' and ev.type = any(ep.event_types)`;
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
