// GET /v2/promotions/{id} coalesced (issue 27): the token-and-view reads that arrive while two
// are in flight leave together as one statement over arrays (src/db/batcher.ts). Each row of
// the arrays runs the single statement's own text (tokenWithViewSql), so each request gets
// exactly the row it would have got alone: its token, and the view that token may see.
import { sql } from 'drizzle-orm';
import { type BatcherStats, createBatcher } from '../db/batcher.js';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { textArray } from '../db/sql.js';
import type { EnrollmentKey } from '../rules/enrollment-id.js';
import {
  type EnrollmentsRepository,
  type RawTokenWithView,
  type TokenWithView,
  tokenWithViewSql,
  toTokenWithView,
} from './repository.js';

export interface TokenViewRequest {
  tokenId: string;
  key: EnrollmentKey;
  now: Date;
}

/**
 * Many GETs in one statement: the i-th element of each array is the i-th request, numbered by
 * its ordinality so each row goes back to its caller; a request whose token does not exist has
 * no row. Arrays travel as literals (src/db/sql.ts), each one text parameter. Read-only, so
 * behind a transaction pooler it runs as a function of its text like the single one.
 */
const tokenViews = prepared<
  RawTokenWithView & { ord: number },
  { tokenIds: string; ids: string; promotionIds: string; nows: string }
>(
  'enrollment_find_many_with_token',
  sql`
    select r.ord::int as ord, q.*
    from unnest(${sql.placeholder('tokenIds')}::text[], ${sql.placeholder('ids')}::uuid[],
                ${sql.placeholder('promotionIds')}::text[], ${sql.placeholder('nows')}::timestamptz[])
         with ordinality as r(token_id, id, promotion_id, now, ord)
    cross join lateral (${tokenWithViewSql({
      tokenId: sql`r.token_id`,
      id: sql`r.id`,
      promotionId: sql`r.promotion_id`,
      now: sql`r.now`,
    })}) q`,
  { asFunction: true },
);

/** GET reads through the batchers of every instance, and the statements they took: what tests and measurements read. */
export const tokenViewBatchCounts: BatcherStats = { requests: 0, statements: 0, batches: 0 };

export async function findTokenViews(
  db: Db,
  requests: readonly TokenViewRequest[],
): Promise<TokenWithView[]> {
  const rows = await tokenViews(db, {
    tokenIds: textArray(requests.map((r) => r.tokenId)),
    ids: textArray(requests.map((r) => r.key.id)),
    promotionIds: textArray(requests.map((r) => r.key.promotionId)),
    nows: textArray(requests.map((r) => r.now.toISOString())),
  });
  const byOrdinal = new Map(rows.map((row) => [Number(row.ord), row]));
  return requests.map((_, i) => toTokenWithView(byOrdinal.get(i + 1)));
}

/**
 * The repository with GET's read coalesced: outside a transaction a read goes through the
 * batcher (a lone one at once, through the single statement); inside one (`tx` given) it stays
 * on that transaction's connection, alone.
 */
export function withCoalescedTokenViews(repository: EnrollmentsRepository, db: Db): EnrollmentsRepository {
  const single = repository.findTokenWithView;
  const batcher = createBatcher<TokenViewRequest, TokenWithView>({
    one: (r) => single(r.tokenId, r.key, r.now),
    many: (requests) => findTokenViews(db, requests),
    stats: tokenViewBatchCounts,
  });
  return {
    ...repository,
    findTokenWithView(tokenId, key, now, tx = db) {
      if (tx !== db) return single(tokenId, key, now, tx);
      return batcher.load({ tokenId, key, now });
    },
  };
}
