import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { accessTokens } from '../db/schema.js';

export type AccessTokenRow = typeof accessTokens.$inferSelect;
export type NewAccessToken = typeof accessTokens.$inferInsert;

export function createTokenRepository(db: Db) {
  // Every authenticated request reads its token: a named prepared statement (planned once per connection).
  const byId = db
    .select()
    .from(accessTokens)
    .where(eq(accessTokens.id, sql.placeholder('id')))
    .limit(1)
    .prepare('access_token_by_id');
  return {
    async insertAccessToken(row: NewAccessToken, tx: Db = db): Promise<void> {
      await tx.insert(accessTokens).values(row);
    },

    async findAccessToken(id: string, tx: Db = db): Promise<AccessTokenRow | undefined> {
      const [row] =
        tx === db
          ? await byId.execute({ id })
          : await tx.select().from(accessTokens).where(eq(accessTokens.id, id)).limit(1);
      return row;
    },

    async revokeAccessToken(id: string, partnerId: string, at: Date, tx: Db = db): Promise<boolean> {
      const rows = await tx
        .update(accessTokens)
        .set({ revokedAt: at })
        .where(
          and(eq(accessTokens.id, id), eq(accessTokens.partnerId, partnerId), isNull(accessTokens.revokedAt)),
        )
        .returning({ id: accessTokens.id });
      return rows.length > 0;
    },

    async revokeFamily(familyId: string, at: Date, tx: Db = db): Promise<void> {
      await tx
        .update(accessTokens)
        .set({ revokedAt: at })
        .where(and(eq(accessTokens.familyId, familyId), isNull(accessTokens.revokedAt)));
    },
  };
}

export type TokenRepository = ReturnType<typeof createTokenRepository>;
