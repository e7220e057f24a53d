// CONTRACT §12 entitlements: the account (by id or external id), the instant asked about (`at`,
// else its clock's now, else the wall's), and each enrollment of it sponsoring then, with the
// counters whose cycle could contain that instant, in one statement. Checks that arrive while
// two are in flight leave together as one statement over arrays (src/db/batcher.ts, issue 27):
// each row of the arrays runs the single statement's own text, so each check gets exactly the
// row it would have got alone.
import { type SQL, sql } from 'drizzle-orm';
import { type BatcherStats, coalescedMethod } from '../db/batcher.js';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { fromEpochMs, intArray, epochMs as ms, nullableIntArray, textArray } from '../db/sql.js';
import { effectiveExpirationSql } from '../rules/expiration.js';
import type { AccountRef, EnrollmentRef } from './ingest-repository.js';

type By = 'id' | 'external_id';

interface RawEntitlement {
  id: string;
  external_id: string | null;
  clock_time: number | null;
  at: number;
  enrollments: EnrollmentRef[] | null;
}

export interface EntitlementRead {
  account: AccountRef;
  at: number;
  enrollments: EnrollmentRef[];
}

/** The statement's text for one check: `key` (the account's id or external id, as text), `at` and `wallNow` (epoch ms). */
const entitlementSql = (by: By, p: { key: SQL; at: SQL; wallNow: SQL }) => sql`
    select a.id, a.external_id, ${ms(sql`tc.frozen_time`)} as clock_time, ${ms(sql`t.at`)} as at,
      (select json_agg(json_build_object('id', e.id, 'promotionId', e.promotion_id, 'accountId', e.account_id,
                'partnerId', e.partner_id, 'enrolledAt', ${ms(sql`e.enrolled_at`)},
                'unenrolledAt', ${ms(sql`e.unenrolled_at`)},
                'expiresAt', ${ms(effectiveExpirationSql(sql`e.expires_at`, sql`p.ends_at`))},
                'taskLimitPerMonth', p.task_limit_per_month,
                'counters', (select json_agg(json_build_object('cycleStart', ${ms(sql`c.cycle_start`)}, 'used', c.used))
                             from usage_counters c
                             where c.enrollment_id = e.id and c.cycle_start <= t.at
                               and c.cycle_start > t.at - interval '31 days')))
       from enrollments e join promotions p on p.id = e.promotion_id
       where e.account_id = a.id and e.enrolled_at <= t.at
         and (e.unenrolled_at is null or e.unenrolled_at > t.at)) as enrollments
    from accounts a
    left join test_clocks tc on tc.id = a.test_clock_id
    cross join lateral (select coalesce(${fromEpochMs(p.at)}, tc.frozen_time, ${fromEpochMs(p.wallNow)}) as at) t
    where ${by === 'id' ? sql`a.id = ${p.key}::uuid` : sql`a.external_id = ${p.key}`}`;

const single = (by: By) =>
  prepared<RawEntitlement, { key: string; at: number | null; wallNow: number }>(
    `usage_entitlement_find_by_${by}`,
    entitlementSql(by, {
      key: sql`${sql.placeholder('key')}::text`,
      at: sql`${sql.placeholder('at')}::bigint`,
      wallNow: sql`${sql.placeholder('wallNow')}::bigint`,
    }),
    { asFunction: true },
  );

/** Many checks in one statement, numbered by ordinality; an unknown account has no row. */
const many = (by: By) =>
  prepared<RawEntitlement & { ord: number }, { keys: string; ats: string; wallNows: string }>(
    `usage_entitlement_find_many_by_${by}`,
    sql`select r.ord::int as ord, q.*
        from unnest(${sql.placeholder('keys')}::text[], ${sql.placeholder('ats')}::bigint[],
                    ${sql.placeholder('wallNows')}::bigint[]) with ordinality as r(key, at, wall_now, ord)
        cross join lateral (${entitlementSql(by, { key: sql`r.key`, at: sql`r.at`, wallNow: sql`r.wall_now` })}) q`,
    { asFunction: true },
  );

const STATEMENTS = {
  id: { one: single('id'), many: many('id') },
  external_id: { one: single('external_id'), many: many('external_id') },
} as const;

interface Check {
  key: string;
  at: number | null;
  wallNow: number;
}

/** Entitlement checks through the batchers of every instance, and the statements they took: what tests read. */
export const entitlementBatchCounts: BatcherStats = { requests: 0, statements: 0, batches: 0 };

const decode = (row: RawEntitlement | undefined): EntitlementRead | undefined =>
  row && {
    account: { id: row.id, externalId: row.external_id, clockTime: row.clock_time },
    at: row.at,
    enrollments: row.enrollments ?? [],
  };

export function createEntitlementsRepository(db: Db, options: { coalesce: boolean }) {
  /** Each kind of check: its own statement, and with coalescing, the batch statement outside a transaction. */
  const reads = Object.fromEntries(
    (['id', 'external_id'] as const).map((by) => {
      const one = async (check: Check, tx: Db = db) => decode((await STATEMENTS[by].one(tx, check))[0]);
      const many = async (checks: readonly Check[]) => {
        const rows = await STATEMENTS[by].many(db, {
          keys: textArray(checks.map((c) => c.key)),
          ats: nullableIntArray(checks.map((c) => c.at)),
          wallNows: intArray(checks.map((c) => c.wallNow)),
        });
        const byOrdinal = new Map(rows.map((row) => [Number(row.ord), row]));
        return checks.map((_, i) => decode(byOrdinal.get(i + 1)));
      };
      return [by, options.coalesce ? coalescedMethod(db, one, many, entitlementBatchCounts) : one];
    }),
  ) as Record<By, (check: Check, tx?: Db) => Promise<EntitlementRead | undefined>>;

  /** One check: through the batcher outside a transaction (when coalescing), else its own statement. */
  function readEntitlement(
    input: { accountId: string | null; externalId: string | null; at: Date | null; wallNow: Date },
    tx: Db = db,
  ): Promise<EntitlementRead | undefined> {
    const check = {
      key: input.accountId ?? input.externalId ?? '',
      at: input.at?.getTime() ?? null,
      wallNow: input.wallNow.getTime(),
    };
    return reads[input.accountId === null ? 'external_id' : 'id'](check, tx);
  }

  return { readEntitlement };
}

export type EntitlementsRepository = ReturnType<typeof createEntitlementsRepository>;
