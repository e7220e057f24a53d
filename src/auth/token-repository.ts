import { and, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import { preparedQuery } from '../db/prepared.js';
import { accessTokens, partners, testClocks } from '../db/schema.js';

/**
 * The token row and, for an account on a test clock (CONTRACT §9), that clock's time (else
 * null); `partnerDisabled`: its partner is disabled, so the token is refused while it stays so.
 */
export type AccessTokenRow = typeof accessTokens.$inferSelect & {
  clockTime: Date | null;
  partnerDisabled: boolean;
};
/** Values may be SQL, e.g. the account's clock read in the insert itself. */
export type NewAccessToken = PgInsertValue<typeof accessTokens>;

// The clock's time and the partner's state come with the token row (a live token's null clock
// key joins nothing): disabling a partner refuses its tokens at once, and re-enabling restores them.
const withClock = (tx: Db) =>
  tx
    .select({
      ...getTableColumns(accessTokens),
      clockTime: testClocks.frozenTime,
      partnerDisabled: sql<boolean>`${partners.disabledAt} is not null`,
    })
    .from(accessTokens)
    .innerJoin(partners, eq(partners.id, accessTokens.partnerId))
    .leftJoin(testClocks, eq(testClocks.id, accessTokens.testClockId));

export function createTokenRepository(db: Db) {
  // Every authenticated request reads its token: a named prepared statement (planned once per connection).
  const byId = preparedQuery(
    'access_token_find_by_id',
    withClock(db)
      .where(eq(accessTokens.id, sql.placeholder('id')))
      .limit(1),
  );
  async function insertAccessToken(row: NewAccessToken, tx: Db = db): Promise<void> {
    await tx.insert(accessTokens).values(row);
  }

  async function findAccessToken(id: string, tx: Db = db): Promise<AccessTokenRow | undefined> {
    const [row] =
      tx === db ? await byId.execute({ id }) : await withClock(tx).where(eq(accessTokens.id, id)).limit(1);
    return row;
  }

  async function revokeAccessToken(id: string, partnerId: string, at: Date, tx: Db = db): Promise<boolean> {
    const rows = await tx
      .update(accessTokens)
      .set({ revokedAt: at })
      .where(
        and(eq(accessTokens.id, id), eq(accessTokens.partnerId, partnerId), isNull(accessTokens.revokedAt)),
      )
      .returning({ id: accessTokens.id });
    return rows.length > 0;
  }

  /**
   * The access-token half of revoking a token family; the family as a whole (its refresh
   * tokens too) is revoked by GrantsRepository.revokeFamily, which calls this.
   */
  async function revokeFamilyAccessTokens(familyId: string, at: Date, tx: Db = db): Promise<void> {
    await tx
      .update(accessTokens)
      .set({ revokedAt: at })
      .where(and(eq(accessTokens.familyId, familyId), isNull(accessTokens.revokedAt)));
  }

  return { insertAccessToken, findAccessToken, revokeAccessToken, revokeFamilyAccessTokens };
}

export type TokenRepository = ReturnType<typeof createTokenRepository>;
