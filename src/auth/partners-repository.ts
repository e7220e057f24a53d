import { and, asc, eq, gt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { preparedQuery } from '../db/prepared.js';
import { partners } from '../db/schema.js';
import { textArray } from '../db/sql.js';

export type PartnerRow = typeof partners.$inferSelect;

export function createPartnersRepository(db: Db) {
  // client_credentials reads the partner by client_id on every token request: prepared once per connection.
  const byClientId = preparedQuery(
    'partner_find_by_client_id',
    db
      .select()
      .from(partners)
      .where(eq(partners.clientId, sql.placeholder('clientId')))
      .limit(1),
  );
  // The same read for many grants at once (coalesced, src/auth/token-batch.ts).
  const byClientIds = preparedQuery(
    'partner_find_many_by_client_id',
    db
      .select()
      .from(partners)
      .where(sql`${partners.clientId} = any(${sql.placeholder('clientIds')}::text[])`),
  );
  async function insert(row: typeof partners.$inferInsert, tx: Db = db): Promise<PartnerRow> {
    const [created] = await tx.insert(partners).values(row).returning();
    return created!;
  }

  async function findById(id: string, tx: Db = db): Promise<PartnerRow | undefined> {
    const [row] = await tx.select().from(partners).where(eq(partners.id, id)).limit(1);
    return row;
  }

  /** The row locked for a change in the caller's transaction, so its audit entry's "before" is exact. */
  async function lockById(id: string, tx: Db): Promise<PartnerRow | undefined> {
    const [row] = await tx.select().from(partners).where(eq(partners.id, id)).limit(1).for('update');
    return row;
  }

  /** By name, then id: keyset pagination stable under inserts. */
  async function list(
    options: { limit: number; after?: { name: string; id: string } },
    tx: Db = db,
  ): Promise<PartnerRow[]> {
    const after = options.after;
    return tx
      .select()
      .from(partners)
      .where(
        after
          ? or(gt(partners.name, after.name), and(eq(partners.name, after.name), gt(partners.id, after.id)))
          : undefined,
      )
      .orderBy(asc(partners.name), asc(partners.id))
      .limit(options.limit);
  }

  /** A new client secret hash; undefined when there is no such partner. */
  async function setSecretHash(
    id: string,
    clientSecretHash: string,
    tx: Db = db,
  ): Promise<PartnerRow | undefined> {
    const [row] = await tx.update(partners).set({ clientSecretHash }).where(eq(partners.id, id)).returning();
    return row;
  }

  /** A partner's changed fields (the admin API's PATCH, the bootstrap file of CONTRACT §10). */
  async function update(
    id: string,
    changes: Partial<
      Pick<PartnerRow, 'name' | 'clientSecretHash' | 'redirectUris' | 'scopes' | 'sandbox' | 'disabledAt'>
    >,
    tx: Db = db,
  ): Promise<PartnerRow | undefined> {
    const [row] = await tx.update(partners).set(changes).where(eq(partners.id, id)).returning();
    return row;
  }

  async function findByClientId(clientId: string, tx: Db = db): Promise<PartnerRow | undefined> {
    const [row] =
      tx === db
        ? await byClientId.execute({ clientId })
        : await tx.select().from(partners).where(eq(partners.clientId, clientId)).limit(1);
    return row;
  }

  /**
   * Each request's partner (undefined: no such client), in the requests' order, from one
   * statement. client_id is unique; each request gets its own copy of the row, as when alone.
   */
  async function findByClientIds(clientIds: readonly string[]): Promise<(PartnerRow | undefined)[]> {
    const rows = await byClientIds.execute({ clientIds: textArray([...new Set(clientIds)]) });
    const byId = new Map(rows.map((row) => [row.clientId, row]));
    return clientIds.map((clientId) => {
      const row = byId.get(clientId);
      return row && { ...row };
    });
  }

  /** Whether any partner is registered (the demo seeds only an empty store). */
  async function existsAny(tx: Db = db): Promise<boolean> {
    const rows = await tx.select({ id: partners.id }).from(partners).limit(1);
    return rows.length > 0;
  }

  return {
    insert,
    findById,
    lockById,
    list,
    setSecretHash,
    update,
    findByClientId,
    findByClientIds,
    existsAny,
  };
}

export type PartnersRepository = ReturnType<typeof createPartnersRepository>;
