import { and, eq, isNull } from 'drizzle-orm';
import type { TokenRepository } from '../auth/token-repository.js';
import type { Db } from '../db/client.js';
import { findOne, updateOne } from '../db/rows.js';
import { authorizationCodes, refreshTokens } from '../db/schema.js';

export type AuthorizationCodeRow = typeof authorizationCodes.$inferSelect;
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

/**
 * Authorization codes and refresh tokens. Single use is decided by the database: a code is
 * redeemed and a refresh token rotated by a conditional UPDATE … RETURNING, so of two
 * concurrent requests exactly one gets the row back.
 */
export function createGrantsRepository(db: Db, tokens: Pick<TokenRepository, 'revokeFamilyAccessTokens'>) {
  async function insertCode(row: typeof authorizationCodes.$inferInsert, tx: Db = db): Promise<void> {
    await tx.insert(authorizationCodes).values(row);
  }

  async function findCode(id: string, tx: Db = db): Promise<AuthorizationCodeRow | undefined> {
    return findOne(tx, authorizationCodes, eq(authorizationCodes.id, id));
  }

  /** Marks the code used; undefined when it already was (a replay, or a concurrent redemption). */
  async function consumeCode(id: string, at: Date, tx: Db = db): Promise<AuthorizationCodeRow | undefined> {
    return updateOne(
      tx,
      authorizationCodes,
      { usedAt: at },
      and(eq(authorizationCodes.id, id), isNull(authorizationCodes.usedAt)),
    );
  }

  async function insertRefreshToken(row: typeof refreshTokens.$inferInsert, tx: Db = db): Promise<void> {
    await tx.insert(refreshTokens).values(row);
  }

  async function findRefreshToken(id: string, tx: Db = db): Promise<RefreshTokenRow | undefined> {
    return findOne(tx, refreshTokens, eq(refreshTokens.id, id));
  }

  /** Retires a live refresh token; undefined when it was already rotated or revoked. */
  async function rotateRefreshToken(id: string, at: Date, tx: Db = db): Promise<RefreshTokenRow | undefined> {
    return updateOne(
      tx,
      refreshTokens,
      { rotatedAt: at },
      and(eq(refreshTokens.id, id), isNull(refreshTokens.rotatedAt), isNull(refreshTokens.revokedAt)),
    );
  }

  /**
   * Revokes every refresh and access token of a family (one authorization's lineage): the
   * one place a family is revoked. Its access tokens are the token repository's rows.
   */
  async function revokeFamily(familyId: string, at: Date, tx: Db = db): Promise<void> {
    await tx
      .update(refreshTokens)
      .set({ revokedAt: at })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
    await tokens.revokeFamilyAccessTokens(familyId, at, tx);
  }

  return {
    insertCode,
    findCode,
    consumeCode,
    insertRefreshToken,
    findRefreshToken,
    rotateRefreshToken,
    revokeFamily,
  };
}

export type GrantsRepository = ReturnType<typeof createGrantsRepository>;
