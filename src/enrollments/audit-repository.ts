// The audit trail of an enrollment (CONTRACT §6: GET /admin/v1/enrollments/{id}/events): what
// happened to it and who did it. The enrollment and unenrollment statements write their own
// rows in the same statement; usage writes through insertEvent in its transaction.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { enrollmentEvents } from '../db/schema.js';
import { epochMs } from '../db/sql.js';

export type EventType = (typeof enrollmentEvents.$inferInsert)['type'];
export type ActorType = (typeof enrollmentEvents.$inferInsert)['actorType'];

export interface EventRow {
  id: string;
  type: EventType;
  actor_type: ActorType;
  actor_id: string | null;
  data: Record<string, unknown>;
  /** Epoch ms with the stored precision, for the keyset cursor. */
  created_at: number;
}

export function createAuditRepository(db: Db) {
  /** The audit trail, oldest first; ties in a stable order by id. */
  async function listEvents(
    enrollmentId: string,
    options: { limit: number; after?: { at: number; id: string } },
    tx: Db = db,
  ): Promise<EventRow[]> {
    return queryRows<EventRow>(
      tx,
      sql`select id, type, actor_type, actor_id, data, ${epochMs(sql`created_at`)} as created_at
          from enrollment_events
          where enrollment_id = ${enrollmentId}
            ${
              options.after
                ? sql`and (created_at, id) > (to_timestamp(${options.after.at}::float8 / 1000), ${options.after.id}::uuid)`
                : sql``
            }
          order by created_at, id
          limit ${options.limit}`,
    );
  }

  async function insertEvent(
    event: {
      enrollmentId: string;
      type: EventType;
      actorType: ActorType;
      actorId: string | null;
      data?: Record<string, unknown>;
      at: Date;
    },
    tx: Db = db,
  ): Promise<void> {
    await tx.insert(enrollmentEvents).values({
      id: randomUUID(),
      enrollmentId: event.enrollmentId,
      type: event.type,
      actorType: event.actorType,
      actorId: event.actorId,
      data: event.data ?? {},
      createdAt: event.at,
    });
  }

  return { listEvents, insertEvent };
}
