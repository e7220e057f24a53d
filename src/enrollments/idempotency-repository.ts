import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { idempotencyKeys } from '../db/schema.js';

export interface KeyScope {
  partnerId: string;
  key: string;
}

/** A claim is owned by whoever set this exact `locked_until`; it doubles as the owner's token. */
export interface Claim extends KeyScope {
  lockedUntil: Date;
}

export interface StoredResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export type KeyRecord = typeof idempotencyKeys.$inferSelect;

export function createIdempotencyRepository(db: Db) {
  const byScope = (s: KeyScope) =>
    and(eq(idempotencyKeys.partnerId, s.partnerId), eq(idempotencyKeys.key, s.key));

  /**
   * Claims the key: a new row, or a fresh start over an expired one. False when a live
   * record exists (the primary key decides, so only one concurrent request wins).
   */
  async function claim(
    claim: Claim & { requestHash: string; expiresAt: Date; now: Date },
    tx: Db = db,
  ): Promise<boolean> {
    const rows = await tx
      .insert(idempotencyKeys)
      .values({
        partnerId: claim.partnerId,
        key: claim.key,
        requestHash: claim.requestHash,
        lockedUntil: claim.lockedUntil,
        expiresAt: claim.expiresAt,
        createdAt: claim.now,
      })
      .onConflictDoUpdate({
        target: [idempotencyKeys.partnerId, idempotencyKeys.key],
        set: {
          requestHash: claim.requestHash,
          responseStatus: null,
          responseBody: null,
          responseHeaders: null,
          lockedUntil: claim.lockedUntil,
          expiresAt: claim.expiresAt,
          createdAt: claim.now,
        },
        setWhere: lte(idempotencyKeys.expiresAt, claim.now),
      })
      .returning({ key: idempotencyKeys.key });
    return rows.length > 0;
  }

  async function find(scope: KeyScope, tx: Db = db): Promise<KeyRecord | undefined> {
    const [row] = await tx.select().from(idempotencyKeys).where(byScope(scope));
    return row;
  }

  /** Takes over a claim whose owner died (its lock ran out before it finished). */
  async function takeOver(claim: Claim & { requestHash: string; now: Date }, tx: Db = db): Promise<boolean> {
    const rows = await tx
      .update(idempotencyKeys)
      .set({ lockedUntil: claim.lockedUntil })
      .where(
        and(
          byScope(claim),
          eq(idempotencyKeys.requestHash, claim.requestHash),
          isNull(idempotencyKeys.responseStatus),
          lte(idempotencyKeys.lockedUntil, claim.now),
        ),
      )
      .returning({ key: idempotencyKeys.key });
    return rows.length > 0;
  }

  /** Stores the response for replays; false when the claim is no longer ours. */
  async function complete(claim: Claim, response: StoredResponse, tx: Db = db): Promise<boolean> {
    const rows = await tx
      .update(idempotencyKeys)
      .set({
        responseStatus: response.status,
        responseBody: response.body,
        responseHeaders: response.headers,
        lockedUntil: null,
      })
      .where(and(byScope(claim), eq(idempotencyKeys.lockedUntil, claim.lockedUntil)))
      .returning({ key: idempotencyKeys.key });
    return rows.length > 0;
  }

  /** Gives the key back (the request failed and changed nothing), so a retry runs afresh. */
  async function release(claim: Claim, tx: Db = db): Promise<void> {
    await tx
      .delete(idempotencyKeys)
      .where(
        and(
          byScope(claim),
          eq(idempotencyKeys.lockedUntil, claim.lockedUntil),
          isNull(idempotencyKeys.responseStatus),
        ),
      );
  }

  /** Deletes up to `batch` expired records; several sweepers skip each other's rows. */
  async function deleteExpired(now: Date, batch: number, tx: Db = db): Promise<number> {
    const rows = await queryRows<{ key: string }>(
      tx,
      sql`delete from idempotency_keys k
          using (
            select partner_id, key from idempotency_keys
            where expires_at <= ${now}
            limit ${batch}
            for update skip locked
          ) due
          where k.partner_id = due.partner_id and k.key = due.key
          returning k.key`,
    );
    return rows.length;
  }

  return { claim, find, takeOver, complete, release, deleteExpired };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
