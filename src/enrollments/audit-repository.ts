// The audit trail of an enrollment (CONTRACT §6: GET /admin/v1/enrollments/{id}/events): what
// happened to it and who did it, read from the one event log (src/events/event-log.ts). Each
// event shows as the audit entry it has always been: its audit type and its own facts (the
// partner's feed and the webhooks carry the enrollment as GET shows it; here only what changed).
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { epochMs, jsonRecord } from '../db/sql.js';
import type { ActorType } from '../events/event-types.js';

export type AuditType = 'enrolled' | 'unenrolled' | 'expired' | 'usage_recorded' | 'limit_reached';

/** The log's types the audit trail shows, as its entries' types; migrated audit rows are `legacy.<type>`. */
const AUDIT_TYPES: Readonly<Record<string, AuditType>> = {
  'enrollment.created': 'enrolled',
  'legacy.enrolled': 'enrolled',
  'enrollment.unenrolled': 'unenrolled',
  'legacy.unenrolled': 'unenrolled',
  'enrollment.expired': 'expired',
  'legacy.expired': 'expired',
  'usage.recorded': 'usage_recorded',
  'usage.limit_reached': 'limit_reached',
  'legacy.limit_reached': 'limit_reached',
};

/** Of each entry's data, what it records: a usage batch whole; for the others, the fields that changed. */
function auditData(type: AuditType, data: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case 'enrolled':
    case 'unenrolled':
      return {};
    case 'expired':
      return { expiration_date: data.expiration_date };
    case 'limit_reached':
      return {
        task_limit_per_month: data.task_limit_per_month,
        billing_cycle_start: data.billing_cycle_start,
      };
    case 'usage_recorded':
      return data;
  }
}

/** One entry of an enrollment's audit trail (an event of the log, as the audit entry it shows as). */
export interface AuditTrailRow {
  id: string;
  type: AuditType;
  actor_type: ActorType;
  actor_id: string | null;
  data: Record<string, unknown>;
  /** When it happened, epoch ms with the stored precision: the keyset cursor. */
  created_at: number;
}

interface RawEvent {
  id: string;
  type: string;
  actor_type: ActorType;
  actor_id: string | null;
  data: unknown;
  created_at: number;
}

export function createEnrollmentAuditTrail(db: Db) {
  /** The audit trail, oldest first; ties in a stable order by id. */
  async function listEvents(
    enrollmentId: string,
    options: { limit: number; after?: { at: number; id: string } },
    tx: Db = db,
  ): Promise<AuditTrailRow[]> {
    const rows = await queryRows<RawEvent>(
      tx,
      sql`select id, type, actor_type, actor_id, data, ${epochMs(sql`occurred_at`)} as created_at
          from events
          where enrollment_id = ${enrollmentId}
            and type in (${sql.join(
              Object.keys(AUDIT_TYPES).map((t) => sql`${t}`),
              sql`, `,
            )})
            ${
              options.after
                ? sql`and (occurred_at, id) > (to_timestamp(${options.after.at}::float8 / 1000), ${options.after.id})`
                : sql``
            }
          order by occurred_at, id
          limit ${options.limit}`,
    );
    return rows.map((r) => {
      const type = AUDIT_TYPES[r.type]!;
      return { ...r, type, data: auditData(type, jsonRecord(r.data)) };
    });
  }

  return { listEvents };
}

export type EnrollmentAuditTrail = ReturnType<typeof createEnrollmentAuditTrail>;
