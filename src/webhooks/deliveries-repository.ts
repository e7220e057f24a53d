// The delivery queue (CONTRACT §8): each event to each subscribed endpoint, claimed by one
// instance at a time, attempted, retried, and pruned after 30 days (the events themselves stay:
// they are the audit trail). Instants are read as epoch milliseconds (see epochMs).
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { epochMs } from '../db/sql.js';
import { EVENT_RETENTION_MS, EVENT_TYPES } from '../events/event-types.js';
import type { TimeKey } from '../pagination.js';
import { plaintextBox, type SecretBox } from './secret-box.js';

/** The types a partner sees, as a text[] parameter. */
const PUBLIC_TYPES = sql`${`{${EVENT_TYPES.join(',')}}`}::text[]`;

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled';

export interface AttemptRow {
  at: Date;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

export interface DeliveryRow {
  id: string;
  eventId: string;
  type: string;
  status: DeliveryStatus;
  nextAttemptAt: Date;
  createdAt: Date;
  attempts: AttemptRow[];
}

/** A claimed delivery with all the dispatcher needs to send it. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  claimedUntil: Date;
  eventId: string;
  type: string;
  /** The event's data as JSON text, spliced verbatim into the body. */
  dataJson: string;
  eventCreatedAt: Date;
  endpointId: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  /** The `traceparent` stored with the event (CONTRACT §7): the delivery's span continues it. */
  traceContext: string | null;
}

export interface AttemptOutcome {
  deliveryId: string;
  endpointId: string;
  claimedUntil: Date;
  at: Date;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  /** The delivery's status after this attempt. */
  status: DeliveryStatus;
  nextAttemptAt: Date;
  succeeded: boolean;
  /** 410 Gone: disable the endpoint. */
  gone: boolean;
  /** Disable the endpoint if it has failed every attempt since this instant. */
  disableIfFailingSince: Date;
}

/** `box` opens endpoint secrets for the dispatcher (see secret-box.ts). */
export function createDeliveriesRepository(db: Db, box: SecretBox = plaintextBox) {
  /** An endpoint's deliveries, newest first, with their attempts. */
  async function listDeliveries(
    endpointId: string,
    options: { limit: number; status?: DeliveryStatus; before?: TimeKey },
  ): Promise<DeliveryRow[]> {
    const rows = await queryRows<{
      id: string;
      event_id: string;
      type: string;
      status: DeliveryStatus;
      next_attempt_at: number;
      created_at: number;
    }>(
      db,
      sql`select d.id, d.event_id, ev.type, d.status, ${epochMs(sql`d.next_attempt_at`)} as next_attempt_at,
                 ${epochMs(sql`d.created_at`)} as created_at
          from webhook_deliveries d join events ev on ev.id = d.event_id
          where d.endpoint_id = ${endpointId}
            ${options.status ? sql`and d.status = ${options.status}` : sql``}
            ${
              options.before
                ? sql`and (d.created_at, d.id) < (${new Date(options.before.at)}::timestamptz, ${options.before.id}::uuid)`
                : sql``
            }
          order by d.created_at desc, d.id desc limit ${options.limit + 1}`,
    );
    const ids = rows.map((r) => r.id);
    const attempts =
      ids.length === 0
        ? []
        : await queryRows<{
            delivery_id: string;
            at: number;
            response_status: number | null;
            error: string | null;
            duration_ms: number;
          }>(
            db,
            sql`select delivery_id, ${epochMs(sql`at`)} as at, response_status, error, duration_ms
                from webhook_attempts where delivery_id in (${sql.join(
                  ids.map((id) => sql`${id}::uuid`),
                  sql`, `,
                )})
                order by at, id`,
          );
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      type: r.type,
      status: r.status,
      nextAttemptAt: new Date(r.next_attempt_at),
      createdAt: new Date(r.created_at),
      attempts: attempts
        .filter((a) => a.delivery_id === r.id)
        .map((a) => ({
          at: new Date(a.at),
          responseStatus: a.response_status,
          error: a.error,
          durationMs: a.duration_ms,
        })),
    }));
  }

  /**
   * A new delivery of the event to every enabled endpoint subscribed to its type; how many, or
   * undefined when the partner has no such event in its feed (its 30 days, the partner's types).
   */
  async function redeliver(
    partnerId: string,
    eventId: string,
    now: Date,
    outer: Db = db,
  ): Promise<number | undefined> {
    return outer.transaction(async (tx) => {
      const [event] = await queryRows<{ id: string }>(
        tx,
        sql`select id from events
            where id = ${eventId} and partner_id = ${partnerId} and type = any(${PUBLIC_TYPES})
              and created_at > ${new Date(now.getTime() - EVENT_RETENTION_MS)}`,
      );
      if (!event) return undefined;
      const rows = await queryRows<{ id: string }>(
        tx,
        sql`insert into webhook_deliveries
              (id, event_id, endpoint_id, status, attempts, next_attempt_at, created_at, updated_at)
            select gen_random_uuid(), ev.id, ep.id, 'pending', 0, ${now}, ${now}, ${now}
            from events ev join webhook_endpoints ep
              on ep.partner_id = ev.partner_id and ep.status = 'enabled' and ev.type = any(ep.event_types)
            where ev.id = ${eventId}
            returning id`,
      );
      return rows.length;
    });
  }

  /**
   * Claims up to `batch` due deliveries of enabled endpoints (FOR UPDATE SKIP LOCKED, so
   * instances never take the same row) and leases them until `until`: a claim that is
   * never settled (a crash) is due again then.
   */
  async function claim(now: Date, batch: number, until: Date): Promise<ClaimedDelivery[]> {
    const rows = await queryRows<{
      id: string;
      attempts: number;
      event_id: string;
      type: string;
      data: string;
      event_created_at: number;
      endpoint_id: string;
      url: string;
      secret: string;
      previous_secret: string | null;
      previous_secret_expires_at: number | null;
      trace_context: string | null;
    }>(
      db,
      sql`with due as (
            select d.id from webhook_deliveries d
            join webhook_endpoints ep on ep.id = d.endpoint_id
            where d.status = 'pending' and d.next_attempt_at <= ${now} and ep.status = 'enabled'
            order by d.next_attempt_at
            limit ${batch}
            for update of d skip locked
          ), claimed as (
            update webhook_deliveries d set next_attempt_at = ${until}, claimed_until = ${until}, updated_at = ${now}
            from due where d.id = due.id
            returning d.id, d.attempts, d.event_id, d.endpoint_id
          )
          select c.id, c.attempts, ev.id as event_id, ev.type, ev.data::text as data,
                 ${epochMs(sql`ev.occurred_at`)} as event_created_at, ep.id as endpoint_id, ep.url, ep.secret,
                 ep.previous_secret, ${epochMs(sql`ep.previous_secret_expires_at`)} as previous_secret_expires_at,
                 ev.trace_context
          from claimed c
          join events ev on ev.id = c.event_id
          join webhook_endpoints ep on ep.id = c.endpoint_id`,
    );
    return rows.map((r) => ({
      id: r.id,
      attempts: r.attempts,
      claimedUntil: until,
      eventId: r.event_id,
      type: r.type,
      dataJson: r.data,
      eventCreatedAt: new Date(r.event_created_at),
      endpointId: r.endpoint_id,
      url: r.url,
      secret: box.open(r.secret),
      previousSecret: r.previous_secret === null ? null : box.open(r.previous_secret),
      previousSecretExpiresAt:
        r.previous_secret_expires_at === null ? null : new Date(r.previous_secret_expires_at),
      traceContext: r.trace_context,
    }));
  }

  /**
   * Settles one attempt: the delivery (only if our lease still holds), its attempt row, and
   * the endpoint's failure record (disabled on 410 or after 5 days of failures). Returns
   * whether the endpoint was disabled by it, or null when the lease was lost (or the
   * delivery was cancelled meanwhile).
   */
  async function recordAttempt(o: AttemptOutcome): Promise<{ endpointDisabled: boolean } | null> {
    return db.transaction(async (tx) => {
      const updated = await queryRows<{ id: string }>(
        tx,
        sql`update webhook_deliveries set status = ${o.status}, attempts = attempts + 1,
                   next_attempt_at = ${o.nextAttemptAt}, claimed_until = null,
                   last_response_status = ${o.responseStatus}, last_error = ${o.error}, updated_at = ${o.at}
            where id = ${o.deliveryId} and claimed_until = ${o.claimedUntil} and status = 'pending'
            returning id`,
      );
      if (updated.length === 0) return null;
      await tx.execute(
        sql`insert into webhook_attempts (id, delivery_id, at, response_status, error, duration_ms)
            values (gen_random_uuid(), ${o.deliveryId}, ${o.at}, ${o.responseStatus}, ${o.error}, ${o.durationMs})`,
      );
      const rows = await queryRows<{ disabled: boolean }>(
        tx,
        o.succeeded
          ? sql`update webhook_endpoints set failing_since = null
                where id = ${o.endpointId} and failing_since is not null returning false as disabled`
          : sql`update webhook_endpoints set
                  failing_since = coalesce(failing_since, ${o.at}),
                  status = 'disabled',
                  disabled_reason = ${o.gone ? 'gone' : 'failing'},
                  updated_at = ${o.at}
                where id = ${o.endpointId} and status = 'enabled'
                  and (${o.gone} or coalesce(failing_since, ${o.at}) <= ${o.disableIfFailingSince})
                returning true as disabled`,
      );
      if (!o.succeeded && rows.length === 0) {
        await tx.execute(
          sql`update webhook_endpoints set failing_since = ${o.at}
              where id = ${o.endpointId} and failing_since is null`,
        );
      }
      return { endpointDisabled: rows.some((r) => r.disabled) };
    });
  }

  /** Gives back claims this instance will not settle (shutdown): due again at once. */
  async function release(ids: Array<{ id: string; claimedUntil: Date }>, now: Date): Promise<void> {
    for (const { id, claimedUntil } of ids) {
      await db.execute(
        sql`update webhook_deliveries set next_attempt_at = ${now}, claimed_until = null, updated_at = ${now}
            where id = ${id} and claimed_until = ${claimedUntil}`,
      );
    }
  }

  /**
   * Deletes deliveries (their attempts cascade) past the 30 days; how many. The events stay:
   * they are the enrollments' audit trail, and the feed no longer shows them.
   */
  async function prune(now: Date, batch = 1000): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      db,
      sql`delete from webhook_deliveries where id in (
            select id from webhook_deliveries where created_at <= ${new Date(now.getTime() - EVENT_RETENTION_MS)}
            order by created_at limit ${batch})
          returning id`,
    );
    return rows.length;
  }

  /** Pending deliveries of enabled endpoints and the creation time of the oldest. */
  async function pendingStats(): Promise<{ pending: number; oldest: Date | null }> {
    const [r] = await queryRows<{ pending: number; oldest: number | null }>(
      db,
      sql`select count(*)::int as pending, ${epochMs(sql`min(d.created_at)`)} as oldest
          from webhook_deliveries d join webhook_endpoints ep on ep.id = d.endpoint_id
          where d.status = 'pending' and ep.status = 'enabled'`,
    );
    return { pending: r?.pending ?? 0, oldest: r?.oldest == null ? null : new Date(r.oldest) };
  }

  return { listDeliveries, redeliver, claim, recordAttempt, release, prune, pendingStats };
}

export type DeliveriesRepository = ReturnType<typeof createDeliveriesRepository>;
