import { and, eq, getTableColumns, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { preparedQuery } from '../db/prepared.js';
import { accessTokens, partners, testClocks } from '../db/schema.js';
import { epochMs, toDate } from '../db/sql.js';

/**
 * The token row and, for an account on a test clock (CONTRACT §9), that clock's time (else
 * null); `partnerDisabled`: its partner is disabled, so the token is refused while it stays so.
 */
export type AccessTokenRow = typeof accessTokens.$inferSelect & {
  clockTime: Date | null;
  partnerDisabled: boolean;
};
/** A token to store; its test clock is not given: the insert copies its account's (accountClockSql). */
export interface NewAccessToken {
  id: string;
  secretHash: string;
  kind: 'app' | 'user';
  partnerId: string;
  accountId: string | null;
  scopes: string[];
  familyId: string | null;
  expiresAt: Date;
  createdAt: Date;
}

/** The token columns verification reads. */
export type TokenRow = Pick<
  AccessTokenRow,
  | 'id'
  | 'secretHash'
  | 'kind'
  | 'partnerId'
  | 'accountId'
  | 'scopes'
  | 'expiresAt'
  | 'revokedAt'
  | 'testClockId'
  | 'clockTime'
  | 'partnerDisabled'
>;
/** A token row as raw columns of a statement that reads it with something else (see tokenColumnsSql). */
interface RawTokenColumns {
  id: string;
  secret_hash: string;
  kind: 'app' | 'user';
  partner_id: string;
  account_id: string | null;
  scopes: string[];
  expires_at: number;
  revoked_at: number | null;
  test_clock_id: string | null;
  clock_time: number | null;
  partner_disabled: boolean;
}

/** Those columns, each named with the prefix (`t_id`, `t_kind`, …). */
export type PrefixedTokenColumns<P extends string> = {
  [K in keyof RawTokenColumns as `${P}${K}`]: RawTokenColumns[K];
};

/**
 * The columns verification reads, for a statement that reads the token with something else in
 * one round trip: `<alias>_id`, `<alias>_secret_hash`, … of `access_tokens <alias>`, joined to its
 * partner and its clock by tokenJoinsSql(alias). Decode a row with toTokenRow(row, '<alias>_').
 */
export function tokenColumnsSql(alias: string): SQL {
  const t = (column: string) => sql.raw(`${alias}.${column}`);
  const as = (name: keyof RawTokenColumns) => sql.raw(`${alias}_${name}`);
  const clock = sql.raw(`${alias}t.frozen_time`);
  const disabled = sql.raw(`${alias}p.disabled_at`);
  return sql`${t('id')} as ${as('id')}, ${t('secret_hash')} as ${as('secret_hash')}, ${t('kind')} as ${as('kind')},
    ${t('partner_id')} as ${as('partner_id')}, ${t('account_id')} as ${as('account_id')}, ${t('scopes')} as ${as('scopes')},
    ${epochMs(t('expires_at'))} as ${as('expires_at')}, ${epochMs(t('revoked_at'))} as ${as('revoked_at')},
    ${t('test_clock_id')} as ${as('test_clock_id')}, ${epochMs(clock)} as ${as('clock_time')},
    ${disabled} is not null as ${as('partner_disabled')}`;
}

/** `from access_tokens <alias>` with what tokenColumnsSql reads beside it: its partner and its clock. */
export function tokenJoinsSql(alias: string): SQL {
  return sql.raw(
    `access_tokens ${alias} join partners ${alias}p on ${alias}p.id = ${alias}.partner_id ` +
      `left join test_clocks ${alias}t on ${alias}t.id = ${alias}.test_clock_id`,
  );
}

/** The token row of a statement's row, from the columns tokenColumnsSql named with `prefix`. */
export function toTokenRow<P extends string>(row: PrefixedTokenColumns<P>, prefix: P): TokenRow {
  const raw = row as unknown as Record<string, unknown>;
  const get = <K extends keyof RawTokenColumns>(name: K) => raw[`${prefix}${name}`] as RawTokenColumns[K];
  return {
    id: get('id'),
    secretHash: get('secret_hash'),
    kind: get('kind'),
    partnerId: get('partner_id'),
    accountId: get('account_id'),
    scopes: get('scopes'),
    expiresAt: new Date(get('expires_at')),
    revokedAt: toDate(get('revoked_at')),
    testClockId: get('test_clock_id'),
    clockTime: toDate(get('clock_time')),
    partnerDisabled: get('partner_disabled'),
  };
}

/**
 * A user token copies its account's test clock (CONTRACT §9) in the insert itself, whoever issues
 * it (OAuth, the admin API, a clock's accounts endpoint): no extra round trip, and a clock
 * account's token can never run on the wall clock.
 */
const accountClockSql = (accountId: string | null) =>
  accountId === null
    ? null
    : sql<string | null>`(select test_clock_id from accounts where id = ${accountId})`;

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
  async function insertAccessToken(token: NewAccessToken, tx: Db = db): Promise<void> {
    await tx.insert(accessTokens).values({ ...token, testClockId: accountClockSql(token.accountId) });
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
