// The public API's statements (CONTRACT §4): POST and DELETE /v2/promotions each in one
// statement after the token, and GET's token and enrollment in one query
// (`app.enrollmentsRepository`; the views, expiry and audit trail are decorated on their own).
import { type SQL, sql } from 'drizzle-orm';
import {
  type PrefixedTokenColumns,
  type TokenRow,
  tokenColumnsSql,
  tokenJoinsSql,
  toTokenRow,
} from '../auth/token-repository.js';
import { type Db, queryRows } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { epochMs } from '../db/sql.js';
import { eventCtes } from '../events/event-log.js';
import { markedDetailSql, promotionDetailOfRowSql, promotionDetailSql } from '../rules/enrollment-detail.js';
import type { EnrollmentKey } from '../rules/enrollment-id.js';
import { effectiveExpirationSql, isExpiredSql, ownExpirationSql } from '../rules/expiration.js';
import { enrollableSql } from '../rules/promotion-window.js';
import { traceContext } from '../trace-context.js';
import {
  EFFECTIVE_EXPIRES_AT,
  type EnrollmentView,
  fromRawView,
  type RawView,
  selectViews,
} from './views.js';

export type { EnrollmentKey } from '../rules/enrollment-id.js';
export type { EnrollmentView } from './views.js';

/** The request's instant and the enrollment date, as the statements' placeholders. */
const NOW = sql`${sql.placeholder('now')}::timestamptz`;
const ENROLLED_AT = sql`${sql.placeholder('enrolledAt')}::timestamptz`;
const PARTNER = sql`${sql.placeholder('partnerId')}::uuid`;

export type RawTokenWithView = Partial<RawView> & { id: string | null } & PrefixedTokenColumns<'t_'>;

/** The values of one GET: SQL placeholders for the single statement, a row's columns for a batch's. */
export interface TokenWithViewParams {
  tokenId: unknown;
  id: unknown;
  promotionId: unknown;
  now: unknown;
}

/**
 * GET in one round trip: the access token row and, seen through that token's partner (and
 * account, for a user token), the enrollment's view. Its WHERE is the visibility rule of
 * public reads (CONTRACT §3 rule 7); the token itself is checked by the caller. The batch of
 * src/enrollments/token-view-batch.ts runs this same text once per row of its arrays.
 */
export const tokenWithViewSql = (p: TokenWithViewParams) => sql`
        select ${tokenColumnsSql('t')}, v.*
        from ${tokenJoinsSql('t')}
        left join lateral (
          ${selectViews(p.now)}
          where e.id = ${p.id} and e.promotion_id = ${p.promotionId}
            and e.partner_id = t.partner_id
            and (t.kind = 'app' or e.account_id = t.account_id) and e.unenrolled_at is null
        ) v on true
        where t.id = ${p.tokenId}`;

const tokenWithView = prepared<
  RawTokenWithView,
  { tokenId: string; id: string; promotionId: string; now: Date }
>(
  'enrollment_find_with_token',
  tokenWithViewSql({
    tokenId: sql.placeholder('tokenId'),
    id: sql.placeholder('id'),
    promotionId: sql.placeholder('promotionId'),
    now: sql.placeholder('now'),
  }),
  { asFunction: true },
);

/** What GET's statement found: the token row (undefined: no such token) and the view it may see. */
export interface TokenWithView {
  token: TokenRow | undefined;
  view: EnrollmentView | null;
}

/** A row of tokenWithViewSql (undefined: no token row), decoded. */
export function toTokenWithView(row: RawTokenWithView | undefined): TokenWithView {
  if (!row) return { token: undefined, view: null };
  return { token: toTokenRow(row, 't_'), view: row.id === null ? null : fromRawView(row as RawView) };
}

/** What the enrollment statement found, for the exact 4xx of each guard that refused. */
export interface EnrollOutcome {
  /** null: no such promotion of this partner. */
  status: 'active' | 'paused' | 'ended' | null;
  starts_at: number | null;
  ends_at: number | null;
  budgeted: boolean | null;
  inserted: number;
}

export interface EnrollInput {
  id: string;
  promotionId: string;
  partnerId: string;
  accountId: string;
  /** The request's instant (its test clock's time for a clock account): the window is judged at it. */
  now: Date;
  /** The wall clock's instant: the webhook deliveries are due then (CONTRACT §9). */
  wallNow: Date;
  /** `now` to the second, as the enrollment date. */
  enrolledAt: Date;
  /** The first billing cycle's end (its start is `enrolledAt`), for the webhook event's data. */
  cycleEnd: Date;
  /** The `enrollment.created` event's id (`evt_…`). */
  eventId: string;
  /** CONTRACT §9: the account's test clock (from its token), copied onto the enrollment; null when live. */
  testClockId: string | null;
}

/**
 * The `enrollment.created` event (and its webhook deliveries) of each row `i` of `inserted`
 * in `source`: the new enrollment as GET shows it, cycle 0 starting at the enrollment date,
 * nothing used. The single statement and the batch (write-batch.ts) write it alike.
 */
export function createdEventCtes(o: {
  source: SQL;
  id: SQL;
  partnerId: SQL;
  promotionEndsAt: SQL;
  taskLimitPerMonth: SQL;
  cycleEnd: SQL;
  at: SQL;
  recordedAt: SQL;
  traceContext: SQL;
}): SQL {
  return eventCtes({
    name: 'created_event',
    id: o.id,
    source: o.source,
    partnerId: o.partnerId,
    type: 'enrollment.created',
    enrollmentId: sql`i.id`,
    actor: { type: 'partner', id: sql`${o.partnerId}::text` },
    data: promotionDetailSql({
      promotionId: sql`i.promotion_id`,
      id: sql`i.id`,
      enrolledAt: sql`i.enrolled_at`,
      expiresAt: effectiveExpirationSql(sql`i.expires_at`, o.promotionEndsAt),
      taskLimitPerMonth: o.taskLimitPerMonth,
      used: sql`0`,
      cycleStart: sql`i.enrolled_at`,
      cycleEnd: o.cycleEnd,
      at: o.at,
    }),
    at: o.at,
    recordedAt: o.recordedAt,
    traceContext: o.traceContext,
  });
}

/**
 * POST in one statement (CONTRACT §3 rules 1 and 4–6): the promotion must be this partner's,
 * active and in its window; a budgeted one gives a seat by the conditional UPDATE (rule 5,
 * row-locked, never past the maximum); with re-enrollment allowed a dead current enrollment
 * retires first, only when the insert will run (forced before it by the insert reading it),
 * so a refused request changes nothing (rule 9); the insert has no
 * ON CONFLICT, so an existing current enrollment (rule 4) fails the whole statement on the
 * partial unique index and the seat taken for it is rolled back with it. The expiration is
 * rule 1 without the cap: the promotion's end binds at read time (rule 10, EFFECTIVE_EXPIRES_AT).
 */
const enrollStatement = prepared<EnrollOutcome, Record<keyof EnrollInput | 'traceContext', unknown>>(
  'enrollment_insert_guarded',
  sql`
    with p as (
      select id, status, starts_at, ends_at, duration_days, max_enrollments, allow_reenrollment, task_limit_per_month
      from promotions where id = ${sql.placeholder('promotionId')} and partner_id = ${sql.placeholder('partnerId')}
    ), usable as (
      select * from p
      where ${enrollableSql({ status: sql`status`, startsAt: sql`starts_at`, endsAt: sql`ends_at` }, NOW)}
    ), seat as (
      update promotions pr set enrollments_count = pr.enrollments_count + 1
      from usable u
      where pr.id = u.id and pr.max_enrollments is not null and pr.enrollments_count < pr.max_enrollments
      returning pr.id
    ), retired as (
      update enrollments e set is_current = false
      from usable u
      where u.allow_reenrollment and e.promotion_id = u.id and e.account_id = ${sql.placeholder('accountId')}::uuid
        and (u.max_enrollments is null or exists (select 1 from seat)) and e.is_current
        and (e.unenrolled_at is not null or ${isExpiredSql(effectiveExpirationSql(sql`e.expires_at`, sql`u.ends_at`), NOW)})
      returning e.id
    ), inserted as (
      insert into enrollments (id, promotion_id, account_id, partner_id, enrolled_at, expires_at, is_current, created_at,
                               test_clock_id)
      select ${sql.placeholder('id')}::uuid, u.id, ${sql.placeholder('accountId')}::uuid, ${sql.placeholder('partnerId')}::uuid,
             ${ENROLLED_AT},
             ${ownExpirationSql(ENROLLED_AT, sql`u.duration_days`)},
             true, ${NOW}, ${sql.placeholder('testClockId')}::text
      from usable u
      where (u.max_enrollments is null or exists (select 1 from seat))
        and (select count(*) from retired) >= 0
      returning id, promotion_id, enrolled_at, expires_at
    ), ${createdEventCtes({
      source: sql`inserted i cross join usable u`,
      id: sql`${sql.placeholder('eventId')}::text`,
      partnerId: PARTNER,
      promotionEndsAt: sql`u.ends_at`,
      taskLimitPerMonth: sql`u.task_limit_per_month`,
      cycleEnd: sql`${sql.placeholder('cycleEnd')}::timestamptz`,
      at: NOW,
      recordedAt: sql`${sql.placeholder('wallNow')}::timestamptz`,
      traceContext: sql`${sql.placeholder('traceContext')}::text`,
    })}
    select p.status, ${epochMs(sql`p.starts_at`)} as starts_at, ${epochMs(sql`p.ends_at`)} as ends_at,
           p.max_enrollments is not null as budgeted,
           (select count(*) from created_event)::int as inserted
    from (select 1) as one left join p on true`,
);

/**
 * After a `target` CTE (the enrollments to unenroll with their columns and `at`): the soft
 * delete, the detail as GET showed each enrollment then (`markedDetailSql`) and its
 * `enrollment.unenrolled` event with its deliveries. The single statement and the batch
 * (write-batch.ts) end alike; the batch's `id`, `partnerId`… are columns of `d`, the detail row.
 */
export function unenrolledCtes(o: { id: SQL; partnerId: SQL; recordedAt: SQL; traceContext: SQL }): SQL {
  return sql`marked as (
      update enrollments en set unenrolled_at = t.at
      from target t where en.id = t.id and en.unenrolled_at is null
      returning en.id, en.unenrolled_at
    ), detail as (${markedDetailSql(sql`target`)}), ${eventCtes({
      name: 'unenrolled_event',
      id: o.id,
      source: sql`detail d`,
      partnerId: o.partnerId,
      type: 'enrollment.unenrolled',
      enrollmentId: sql`d.id`,
      actor: { type: 'partner', id: sql`${o.partnerId}::text` },
      data: promotionDetailOfRowSql(sql`d`),
      at: sql`d.at`,
      recordedAt: o.recordedAt,
      traceContext: o.traceContext,
    })}`;
}

/**
 * DELETE in one statement (rule 8): the soft delete and its one event (CONTRACT §8: the
 * partner's feed, the webhooks and the audit trail read it; `data` as GET showed the enrollment at that moment: the cycle bounds by rule 2
 * in SQL, `markedDetailSql`). A user token (`accountId` set) reaches only its own account's
 * enrollments; an app token any of its partner's. A concurrent second DELETE finds the row
 * already unenrolled once it may lock it, and changes nothing. An enrollment on a test clock
 * is unenrolled at the clock's time (CONTRACT §9).
 */
const unenrollStatement = prepared<
  { id: string },
  {
    id: string;
    promotionId: string;
    partnerId: string;
    accountId: string | null;
    now: Date;
    eventId: string;
    traceContext: string | null;
  }
>(
  'enrollment_soft_delete',
  sql`
    with target as (
      select e.id, e.promotion_id, e.enrolled_at, ${EFFECTIVE_EXPIRES_AT} as expires_at, p.task_limit_per_month,
             coalesce(tc.frozen_time, ${NOW}) as at
      from enrollments e join promotions p on p.id = e.promotion_id
      left join test_clocks tc on tc.id = e.test_clock_id
      where e.id = ${sql.placeholder('id')}::uuid and e.promotion_id = ${sql.placeholder('promotionId')}
        and e.partner_id = ${sql.placeholder('partnerId')}::uuid
        and (${sql.placeholder('accountId')}::uuid is null or e.account_id = ${sql.placeholder('accountId')}::uuid)
        and e.unenrolled_at is null
    ), ${unenrolledCtes({
      id: sql`${sql.placeholder('eventId')}::text`,
      partnerId: PARTNER,
      recordedAt: NOW,
      traceContext: sql`${sql.placeholder('traceContext')}::text`,
    })}
    select enrollment_id as id from unenrolled_event`,
);

/** A request's enrollment, with the trace context it was made in (a batch runs in another's). */
export type EnrollRequest = EnrollInput & { traceContext: string | null };

/** Enrolls in one statement; a current enrollment already there throws the unique violation (23505). */
export async function enrollOne(tx: Db, request: EnrollRequest): Promise<EnrollOutcome> {
  const [row] = await enrollStatement(tx, request);
  return row!;
}

/** One DELETE: the enrollment, who may see it (an app token: its partner; a user token: its account too). */
export interface UnenrollRequest {
  key: EnrollmentKey;
  scope: { partnerId: string; accountId: string | null };
  now: Date;
  eventId: string;
  traceContext: string | null;
}

/** Unenrolls in one statement; false when there is nothing live (of this account, for a user token) to unenroll. */
export async function unenrollOne(tx: Db, request: UnenrollRequest): Promise<boolean> {
  const { key, scope, now, eventId, traceContext } = request;
  const rows = await unenrollStatement(tx, { ...key, ...scope, now, eventId, traceContext });
  return rows.length > 0;
}

export function createEnrollmentsRepository(db: Db) {
  /** Enrolls in one statement; a current enrollment already there throws the unique violation (23505). */
  async function enroll(input: EnrollInput, tx: Db = db): Promise<EnrollOutcome> {
    return enrollOne(tx, { ...input, traceContext: traceContext.current() });
  }

  /** Unenrolls in one statement; false when there is nothing live (of this account, for a user token) to unenroll. */
  async function unenroll(
    key: EnrollmentKey,
    scope: { partnerId: string; accountId: string | null },
    now: Date,
    eventId: string,
    tx: Db = db,
  ): Promise<boolean> {
    return unenrollOne(tx, { key, scope, now, eventId, traceContext: traceContext.current() });
  }

  /** The token row and the enrollment it may see, in one round trip (see tokenWithView). */
  async function findTokenWithView(
    tokenId: string,
    key: EnrollmentKey,
    now: Date,
    tx: Db = db,
  ): Promise<TokenWithView> {
    const [row] = await tokenWithView(tx, { tokenId, id: key.id, promotionId: key.promotionId, now });
    return toTokenWithView(row);
  }

  /** Whether an enrollment row exists: settles a commit whose acknowledgement was lost. */
  async function existsById(id: string, tx: Db = db): Promise<boolean> {
    const rows = await queryRows<{ one: number }>(tx, sql`select 1 as one from enrollments where id = ${id}`);
    return rows.length > 0;
  }

  /** Whether it is unenrolled: settles an unenrollment whose acknowledgement was lost. */
  async function isUnenrolled(id: string, tx: Db = db): Promise<boolean> {
    const rows = await queryRows<{ one: number }>(
      tx,
      sql`select 1 as one from enrollments where id = ${id} and unenrolled_at is not null`,
    );
    return rows.length > 0;
  }

  /**
   * Whether the account's current enrollment in the promotion is over at `now` (unenrolled or
   * expired): read after a 409 already_enrolled, to say that re-enrollment is what was refused.
   */
  async function currentEnrollmentEnded(
    promotionId: string,
    accountId: string,
    now: Date,
    tx: Db = db,
  ): Promise<boolean> {
    const at = sql`${now.toISOString()}::timestamptz`;
    const rows = await queryRows<{ one: number }>(
      tx,
      sql`select 1 as one from enrollments e join promotions p on p.id = e.promotion_id
          where e.promotion_id = ${promotionId} and e.account_id = ${accountId}::uuid and e.is_current
            and (e.unenrolled_at is not null or ${isExpiredSql(EFFECTIVE_EXPIRES_AT, at)})`,
    );
    return rows.length > 0;
  }

  return {
    enroll,
    unenroll,
    findTokenWithView,
    existsById,
    isUnenrolled,
    currentEnrollmentEnded,
  };
}

export type EnrollmentsRepository = ReturnType<typeof createEnrollmentsRepository>;
