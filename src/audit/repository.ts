// SQL of the admin audit log (CONTRACT §11). Rows are only ever inserted; lists page newest
// first by `seq`.
import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { adminAuditLog } from '../db/schema.js';

export type AuditRow = typeof adminAuditLog.$inferSelect;
export type NewAuditRow = Omit<typeof adminAuditLog.$inferInsert, 'seq'>;

/** What a list may be narrowed to; every filter is optional. */
export interface AuditFilter {
  actorKind?: AuditRow['actorKind'];
  actorOperatorId?: string;
  actorEmail?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  /** `at` at or after. */
  since?: Date;
  /** `at` before. */
  until?: Date;
}

export function createAuditRepository(db: Db) {
  async function insert(row: NewAuditRow, tx: Db = db): Promise<void> {
    await tx.insert(adminAuditLog).values(row);
  }

  /** Newest first; `beforeSeq` continues a page. */
  async function list(
    filter: AuditFilter,
    page: { limit: number; beforeSeq?: number },
    tx: Db = db,
  ): Promise<AuditRow[]> {
    const t = adminAuditLog;
    const conditions: SQL[] = [];
    if (filter.actorKind) conditions.push(eq(t.actorKind, filter.actorKind));
    if (filter.actorOperatorId) conditions.push(eq(t.actorOperatorId, filter.actorOperatorId));
    if (filter.actorEmail) conditions.push(sql`lower(${t.actorEmail}) = lower(${filter.actorEmail})`);
    if (filter.action) conditions.push(eq(t.action, filter.action));
    if (filter.objectType) conditions.push(eq(t.objectType, filter.objectType));
    if (filter.objectId) conditions.push(eq(t.objectId, filter.objectId));
    if (filter.since) conditions.push(gte(t.at, filter.since));
    if (filter.until) conditions.push(lt(t.at, filter.until));
    if (page.beforeSeq !== undefined) conditions.push(lt(t.seq, page.beforeSeq));
    return tx
      .select()
      .from(t)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(t.seq))
      .limit(page.limit);
  }

  return { insert, list };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
