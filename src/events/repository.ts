// Reading the event log for the partner (CONTRACT §8: GET /v2/events): its events of the last
// 30 days, of the types it can see, in the order they were written. (An enrollment's audit
// trail reads the same table: src/enrollments/audit-repository.ts.)
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { epochMs, jsonRecord } from '../db/sql.js';
import type { TimeKey } from '../pagination.js';
import { EVENT_RETENTION_MS, EVENT_TYPES } from './event-types.js';

export interface EventRow {
  id: string;
  type: string;
  data: Record<string, unknown>;
  /** When it happened (a test clock's time for its enrollments): the event's `timestamp`. */
  occurredAt: Date;
  /** When it was written, on the wall clock: the feed's order and its cursor. */
  createdAt: Date;
}

export function createEventFeed(db: Db) {
  /** A partner's events of the last 30 days, oldest first; `limit + 1` rows (for toPage). */
  async function listEvents(
    partnerId: string,
    options: { limit: number; type?: string; since?: Date; after?: TimeKey },
    now: Date,
  ): Promise<EventRow[]> {
    const rows = await queryRows<{
      id: string;
      type: string;
      data: unknown;
      occurred_at: number;
      created_at: number;
    }>(
      db,
      sql`select id, type, data, ${epochMs(sql`occurred_at`)} as occurred_at, ${epochMs(sql`created_at`)} as created_at
          from events
          where partner_id = ${partnerId} and created_at > ${new Date(now.getTime() - EVENT_RETENTION_MS)}
            and type = any(${`{${EVENT_TYPES.join(',')}}`}::text[])
            ${options.type ? sql`and type = ${options.type}` : sql``}
            ${options.since ? sql`and created_at >= ${options.since}` : sql``}
            ${
              options.after
                ? sql`and (created_at, id) > (${new Date(options.after.at)}::timestamptz, ${options.after.id})`
                : sql``
            }
          order by created_at, id limit ${options.limit + 1}`,
    );
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      data: jsonRecord(r.data),
      occurredAt: new Date(r.occurred_at),
      createdAt: new Date(r.created_at),
    }));
  }

  return { listEvents };
}

export type EventFeed = ReturnType<typeof createEventFeed>;
