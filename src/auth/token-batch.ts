// Bearer verification and token issuance coalesced (issue 27): the token reads that arrive while
// two are in flight leave together as one statement over an array of ids, the token inserts
// that arrive while two are in flight as one multi-row INSERT, and client authentication's
// partner reads (every client_credentials grant) as one read over an array of client ids
// (src/db/batcher.ts). A lone request goes at once through the repository's own single statement.
import { sql } from 'drizzle-orm';
import { type BatcherStats, coalescedMethod } from '../db/batcher.js';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { epochMs, fromEpochMs, intArray, nullableTextArray, textArray } from '../db/sql.js';
import type { PartnersRepository } from './partners-repository.js';
import {
  type AccessTokenRow,
  type NewAccessToken,
  type PrefixedTokenColumns,
  type TokenRepository,
  tokenColumnsSql,
  tokenJoinsSql,
  toTokenRow,
} from './token-repository.js';

type RawAccessToken = PrefixedTokenColumns<'t_'> & { t_family_id: string | null; t_created_at: number };

/**
 * Many tokens by id in one statement: the columns verification reads (tokenColumnsSql, the
 * same joins to the partner and the clock as GET's statement) and the two it does not, so each
 * row decodes to exactly what access_token_find_by_id gives. Ids are a primary key: each row
 * goes back to every request of its id, and an unknown id has none. Read-only, so behind a
 * transaction pooler it runs as a function of its text.
 */
const tokensByIds = prepared<RawAccessToken, { ids: string }>(
  'access_token_find_many',
  sql`select ${tokenColumnsSql('t')}, t.family_id as t_family_id, ${epochMs(sql`t.created_at`)} as t_created_at
      from ${tokenJoinsSql('t')}
      where t.id = any(${sql.placeholder('ids')}::text[])`,
  { asFunction: true },
);

const toAccessTokenRow = (row: RawAccessToken): AccessTokenRow => ({
  ...toTokenRow(row, 't_'),
  familyId: row.t_family_id,
  createdAt: new Date(row.t_created_at),
});

/** Each request's token row (or undefined: no such token), in the requests' order. */
export async function findAccessTokens(
  db: Db,
  ids: readonly string[],
): Promise<(AccessTokenRow | undefined)[]> {
  const rows = await tokensByIds(db, { ids: textArray([...new Set(ids)]) });
  const byId = new Map(rows.map((row) => [row.t_id, row]));
  // Decoded once per request, so that no two callers share an object (as when each reads alone).
  return ids.map((id) => {
    const row = byId.get(id);
    return row && toAccessTokenRow(row);
  });
}

/**
 * Many tokens in one INSERT, the i-th element of each array the i-th token. Scopes travel
 * space-separated (an OAuth scope has no space, RFC 6749 §3.3): an array of arrays would not
 * unnest row by row. Each user token copies its account's test clock as the single insert does.
 */
const insertTokens = prepared<
  never,
  {
    ids: string;
    secretHashes: string;
    kinds: string;
    partnerIds: string;
    accountIds: string;
    scopes: string;
    familyIds: string;
    expiresAts: string;
    createdAts: string;
  }
>(
  'access_token_insert_many',
  sql`insert into access_tokens
        (id, secret_hash, kind, partner_id, account_id, scopes, family_id, test_clock_id, expires_at, created_at)
      select r.id, r.secret_hash, r.kind, r.partner_id, r.account_id, string_to_array(r.scopes, ' '), r.family_id,
             (select a.test_clock_id from accounts a where a.id = r.account_id),
             ${fromEpochMs(sql`r.expires_at`)}, ${fromEpochMs(sql`r.created_at`)}
      from unnest(${sql.placeholder('ids')}::text[], ${sql.placeholder('secretHashes')}::text[],
                  ${sql.placeholder('kinds')}::text[], ${sql.placeholder('partnerIds')}::uuid[],
                  ${sql.placeholder('accountIds')}::uuid[], ${sql.placeholder('scopes')}::text[],
                  ${sql.placeholder('familyIds')}::uuid[], ${sql.placeholder('expiresAts')}::bigint[],
                  ${sql.placeholder('createdAts')}::bigint[])
           as r(id, secret_hash, kind, partner_id, account_id, scopes, family_id, expires_at, created_at)`,
);

export async function insertAccessTokens(db: Db, tokens: readonly NewAccessToken[]): Promise<void> {
  await insertTokens(db, {
    ids: textArray(tokens.map((t) => t.id)),
    secretHashes: textArray(tokens.map((t) => t.secretHash)),
    kinds: textArray(tokens.map((t) => t.kind)),
    partnerIds: textArray(tokens.map((t) => t.partnerId)),
    accountIds: nullableTextArray(tokens.map((t) => t.accountId)),
    scopes: textArray(tokens.map((t) => t.scopes.join(' '))),
    familyIds: nullableTextArray(tokens.map((t) => t.familyId)),
    expiresAts: intArray(tokens.map((t) => t.expiresAt.getTime())),
    createdAts: intArray(tokens.map((t) => t.createdAt.getTime())),
  });
}

/** Token reads and inserts through the batchers of every instance, and the statements they took: what tests and measurements read. */
export const tokenBatchCounts: { find: BatcherStats; insert: BatcherStats; partner: BatcherStats } = {
  find: { requests: 0, statements: 0, batches: 0 },
  insert: { requests: 0, statements: 0, batches: 0 },
  partner: { requests: 0, statements: 0, batches: 0 },
};

/**
 * The repository with bearer verification's read and token issuance's insert coalesced:
 * outside a transaction each goes through its batcher (a lone one at once, through the single
 * statement); inside one (`tx` given) it stays on that transaction's connection, alone. An
 * insert batch that fails (a token whose partner or account was just deleted) runs each insert
 * again alone, so only that token's request fails.
 */
export function withCoalescedTokens(repository: TokenRepository, db: Db): TokenRepository {
  return {
    ...repository,
    findAccessToken: coalescedMethod(
      db,
      repository.findAccessToken,
      (ids) => findAccessTokens(db, ids),
      tokenBatchCounts.find,
    ),
    insertAccessToken: coalescedMethod(
      db,
      repository.insertAccessToken,
      async (tokens) => {
        await insertAccessTokens(db, tokens);
        return tokens.map(() => undefined);
      },
      tokenBatchCounts.insert,
    ),
  };
}

/**
 * The partners repository with client authentication's read by client_id coalesced: outside a
 * transaction through its batcher; inside one, alone on that transaction's connection. A batch
 * that fails (a client id PostgreSQL refuses, such as one with a NUL byte) runs each read again
 * alone, so only that request fails.
 */
export function withCoalescedPartnerReads(repository: PartnersRepository, db: Db): PartnersRepository {
  return {
    ...repository,
    findByClientId: coalescedMethod(
      db,
      repository.findByClientId,
      repository.findByClientIds,
      tokenBatchCounts.partner,
    ),
  };
}
