// POST and DELETE /v2/promotions coalesced (issue 27): enrollments and unenrollments that arrive
// while two statements of their kind are in flight leave together as one statement over arrays
// (src/db/batcher.ts), and each request is answered exactly as if it had run alone, after the
// requests before it in the batch: its own outcome, its own 409 or 404, its own event.
//
// The batch decides only what it can decide without a row's error failing its neighbours:
// - two enrollments of one account in one promotion never share a batch: the later one runs
//   alone once the batch has committed, and gets its 409 as it would have in sequence;
// - an enrollment that would meet a current enrollment (rule 4) is left out of the batch and
//   runs alone after it, through the single statement, whose unique violation is its 409;
// - a budget (rule 5) is shared out in arrival order under the promotion's row lock, so the
//   last seat goes to the first request that asks for it and the next ones are refused as full;
// - an unenrollment asked twice in one batch unenrolls once, for the first asker; the other
//   finds it already unenrolled (404), as it would have just after.
// A statement error (a concurrent insert of the same account, an account deleted meanwhile)
// fails the whole statement, which changes nothing; the batcher then runs each request alone.
import { type SQL, sql } from 'drizzle-orm';
import { type BatcherStats, createBatcher } from '../db/batcher.js';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { epochMs, nullableTextArray, textArray, unnestRequests } from '../db/sql.js';
import { effectiveExpirationSql, isExpiredSql, ownExpirationSql } from '../rules/expiration.js';
import { enrollableSql } from '../rules/promotion-window.js';
import { traceContext } from '../trace-context.js';
import {
  createdEventCtes,
  type EnrollmentsRepository,
  type EnrollOutcome,
  type EnrollRequest,
  enrollOne,
  type UnenrollRequest,
  unenrolledCtes,
  unenrollOne,
} from './repository.js';
import { EFFECTIVE_EXPIRES_AT } from './views.js';

/** Enrollments and unenrollments through the batchers of every instance: what tests and measurements read. */
export const writeBatchCounts: Record<'enroll' | 'unenroll', BatcherStats> = {
  enroll: { requests: 0, statements: 0, batches: 0 },
  unenroll: { requests: 0, statements: 0, batches: 0 },
};

/** The enrollment statement's outcome per request; `alone`: left out of the batch, to run alone. */
type BatchEnrollOutcome = EnrollOutcome & { ord: number; alone: boolean };

/** What every enrollment or unenrollment request carries: the enrollment, who asks, and when. */
const REQUEST_COLUMNS = [
  ['id', 'ids', 'uuid'],
  ['promotion_id', 'promotionIds', 'text'],
  ['partner_id', 'partnerIds', 'uuid'],
  ['account_id', 'accountIds', 'uuid'],
  ['now', 'nows', 'timestamptz'],
] as const;

const col = (name: string) => sql.raw(`r.${name}`);
// The request's window: a current enrollment is dead (rule 4, re-enrollment) when unenrolled or expired at the request's now.
const deadAtRequest = (promotionEndsAt: SQL) =>
  sql`(e.unenrolled_at is not null or ${isExpiredSql(effectiveExpirationSql(sql`e.expires_at`, promotionEndsAt), col('now'))})`;

/**
 * Many enrollments in one statement: the single statement's guards (repository.ts
 * enrollStatement) per row of the arrays. `usable` are the requests whose promotion is this
 * partner's, enrollable at the request's instant, and that meet no current enrollment they may
 * not retire; the budgeted ones' promotions are locked in id order (so two batches never wait
 * on each other in a circle) and their free seats given by rank of arrival.
 */
const enrollMany = prepared<
  BatchEnrollOutcome,
  Record<
    | 'ids'
    | 'promotionIds'
    | 'partnerIds'
    | 'accountIds'
    | 'nows'
    | 'wallNows'
    | 'enrolledAts'
    | 'cycleEnds'
    | 'eventIds'
    | 'testClockIds'
    | 'traceContexts',
    string
  >
>(
  'enrollment_insert_many_guarded',
  sql`
    with r as (
      select * from ${unnestRequests('r', [
        ...REQUEST_COLUMNS,
        ['wall_now', 'wallNows', 'timestamptz'],
        ['enrolled_at', 'enrolledAts', 'timestamptz'],
        ['cycle_end', 'cycleEnds', 'timestamptz'],
        ['event_id', 'eventIds', 'text'],
        ['test_clock_id', 'testClockIds', 'text'],
        ['trace_context', 'traceContexts', 'text'],
      ])}
    ), p as (
      select r.ord, pr.status, pr.starts_at, pr.ends_at, pr.duration_days, pr.max_enrollments, pr.allow_reenrollment,
             pr.task_limit_per_month,
             ${enrollableSql({ status: sql`pr.status`, startsAt: sql`pr.starts_at`, endsAt: sql`pr.ends_at` }, col('now'))} as enrollable,
             exists (select 1 from enrollments e
                     where e.promotion_id = r.promotion_id and e.account_id = r.account_id and e.is_current
                       and not (pr.allow_reenrollment and ${deadAtRequest(sql`pr.ends_at`)})) as blocked
      from r join promotions pr on pr.id = r.promotion_id and pr.partner_id = r.partner_id
    ), usable as (
      select r.*, p.ends_at, p.duration_days, p.max_enrollments, p.allow_reenrollment, p.task_limit_per_month,
             row_number() over (partition by r.promotion_id order by r.ord) as rank
      from r join p on p.ord = r.ord
      where p.enrollable and not p.blocked
    ), locked as materialized (
      select pr.id, pr.max_enrollments - pr.enrollments_count as free
      from promotions pr
      where pr.id in (select promotion_id from usable where max_enrollments is not null)
      order by pr.id
      for update
    ), granted as (
      select u.* from usable u left join locked l on l.id = u.promotion_id
      where u.max_enrollments is null or u.rank <= l.free
    ), seat as (
      update promotions pr set enrollments_count = pr.enrollments_count + g.n
      from (select promotion_id, count(*)::int as n from granted where max_enrollments is not null
            group by promotion_id) g
      where pr.id = g.promotion_id
      returning pr.id
    ), retired as (
      update enrollments e set is_current = false
      from granted r
      where r.allow_reenrollment and e.promotion_id = r.promotion_id and e.account_id = r.account_id and e.is_current
        and ${deadAtRequest(sql`r.ends_at`)}
      returning e.id
    ), inserted as (
      insert into enrollments (id, promotion_id, account_id, partner_id, enrolled_at, expires_at, is_current, created_at,
                               test_clock_id)
      select g.id, g.promotion_id, g.account_id, g.partner_id, g.enrolled_at,
             ${ownExpirationSql(sql`g.enrolled_at`, sql`g.duration_days`)}, true, g.now, g.test_clock_id
      from granted g
      where (select count(*) from retired) >= 0 and (select count(*) from seat) >= 0
      returning id, promotion_id, enrolled_at, expires_at
    ), ${createdEventCtes({
      source: sql`inserted i join granted g on g.id = i.id`,
      id: sql`g.event_id`,
      partnerId: sql`g.partner_id`,
      promotionEndsAt: sql`g.ends_at`,
      taskLimitPerMonth: sql`g.task_limit_per_month`,
      cycleEnd: sql`g.cycle_end`,
      at: sql`g.now`,
      recordedAt: sql`g.wall_now`,
      traceContext: sql`g.trace_context`,
    })}
    select r.ord::int as ord, p.status, ${epochMs(sql`p.starts_at`)} as starts_at, ${epochMs(sql`p.ends_at`)} as ends_at,
           p.max_enrollments is not null as budgeted,
           (select count(*) from created_event ce where ce.enrollment_id = r.id)::int as inserted,
           coalesce(p.enrollable and p.blocked, false) as alone
    from r left join p on p.ord = r.ord`,
);

/**
 * Many unenrollments in one statement: the single statement (repository.ts unenrollStatement)
 * per row, each enrollment taken once, by the first request in the batch that may see it.
 */
const unenrollMany = prepared<
  { ord: number },
  Record<'ids' | 'promotionIds' | 'partnerIds' | 'accountIds' | 'nows' | 'eventIds' | 'traceContexts', string>
>(
  'enrollment_soft_delete_many',
  sql`
    with r as (
      select * from ${unnestRequests('r', [
        ...REQUEST_COLUMNS,
        ['event_id', 'eventIds', 'text'],
        ['trace_context', 'traceContexts', 'text'],
      ])}
    ), target as (
      select distinct on (e.id) r.ord, r.event_id, r.partner_id, r.trace_context, r.now as recorded_at,
             e.id, e.promotion_id, e.enrolled_at, ${EFFECTIVE_EXPIRES_AT} as expires_at, p.task_limit_per_month,
             coalesce(tc.frozen_time, r.now) as at
      from r join enrollments e on e.id = r.id and e.promotion_id = r.promotion_id and e.partner_id = r.partner_id
      join promotions p on p.id = e.promotion_id
      left join test_clocks tc on tc.id = e.test_clock_id
      where (r.account_id is null or e.account_id = r.account_id) and e.unenrolled_at is null
      order by e.id, r.ord
    ), ${unenrolledCtes({
      id: sql`d.event_id`,
      partnerId: sql`d.partner_id`,
      recordedAt: sql`d.recorded_at`,
      traceContext: sql`d.trace_context`,
    })}
    select t.ord::int as ord from target t join unenrolled_event ue on ue.enrollment_id = t.id`,
);

const instants = (values: readonly Date[]) => textArray(values.map((d) => d.toISOString()));

/** Many enrollments; `alone` marks a request the batch left for the single statement. */
export async function enrollBatch(db: Db, requests: readonly EnrollRequest[]): Promise<BatchEnrollOutcome[]> {
  const rows = await enrollMany(db, {
    ids: textArray(requests.map((r) => r.id)),
    promotionIds: textArray(requests.map((r) => r.promotionId)),
    partnerIds: textArray(requests.map((r) => r.partnerId)),
    accountIds: textArray(requests.map((r) => r.accountId)),
    nows: instants(requests.map((r) => r.now)),
    wallNows: instants(requests.map((r) => r.wallNow)),
    enrolledAts: instants(requests.map((r) => r.enrolledAt)),
    cycleEnds: instants(requests.map((r) => r.cycleEnd)),
    eventIds: textArray(requests.map((r) => r.eventId)),
    testClockIds: nullableTextArray(requests.map((r) => r.testClockId)),
    traceContexts: nullableTextArray(requests.map((r) => r.traceContext)),
  });
  const byOrdinal = new Map(rows.map((row) => [Number(row.ord), row]));
  return requests.map((_, i) => byOrdinal.get(i + 1)!);
}

/** Many unenrollments: whether each request unenrolled its enrollment. */
export async function unenrollBatch(db: Db, requests: readonly UnenrollRequest[]): Promise<boolean[]> {
  const rows = await unenrollMany(db, {
    ids: textArray(requests.map((r) => r.key.id)),
    promotionIds: textArray(requests.map((r) => r.key.promotionId)),
    partnerIds: textArray(requests.map((r) => r.scope.partnerId)),
    accountIds: nullableTextArray(requests.map((r) => r.scope.accountId)),
    nows: instants(requests.map((r) => r.now)),
    eventIds: textArray(requests.map((r) => r.eventId)),
    traceContexts: nullableTextArray(requests.map((r) => r.traceContext)),
  });
  const done = new Set(rows.map((row) => Number(row.ord)));
  return requests.map((_, i) => done.has(i + 1));
}

/** An outcome or the error it threw, so one request's error travels through a batch to that request only. */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(run: Promise<T>): Promise<Settled<T>> =>
  run.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
const unwrap = <T>(settled: Settled<T>): T => {
  if (settled.ok) return settled.value;
  throw settled.error;
};

/**
 * The repository with POST's and DELETE's statements coalesced: outside a transaction they go
 * through the batchers (a lone request at once, through the single statement); inside one
 * (`tx` given: an Idempotency-Key's transaction) they stay on that transaction, alone.
 */
export function withCoalescedWrites(repository: EnrollmentsRepository, db: Db): EnrollmentsRepository {
  const enrollAlone = (request: EnrollRequest) => enrollOne(db, request);

  // A box, so that a request the batch left out waits for its own statement only, not its neighbours for it.
  const enrollments = createBatcher<EnrollRequest, { outcome: Promise<Settled<EnrollOutcome>> }>({
    // A lone request holds its slot until its statement returns: the slots count statements in flight.
    one: async (request) => {
      const settled = await settle(enrollAlone(request));
      return { outcome: Promise.resolve(settled) };
    },
    async many(requests) {
      // One account's second enrollment in a promotion is left out of the batch, to run alone after it.
      const seen = new Set<string>();
      const later = new Set<number>();
      requests.forEach((r, i) => {
        const key = `${r.promotionId} ${r.accountId}`;
        if (seen.has(key)) later.add(i);
        seen.add(key);
      });
      const outcomes = await enrollBatch(
        db,
        requests.filter((_, i) => !later.has(i)),
      );
      let b = 0;
      return requests.map((request, i) => {
        const outcome = later.has(i) ? undefined : outcomes[b++]!;
        if (outcome && !outcome.alone) {
          const { ord: _ord, alone: _alone, ...answer } = outcome;
          return { outcome: Promise.resolve({ ok: true as const, value: answer }) };
        }
        // After the batch committed, through the single statement: as it would have run just after.
        writeBatchCounts.enroll.statements++;
        return { outcome: settle(enrollAlone(request)) };
      });
    },
    stats: writeBatchCounts.enroll,
  });

  const unenrollments = createBatcher<UnenrollRequest, boolean>({
    one: (request) => unenrollOne(db, request),
    many: (requests) => unenrollBatch(db, requests),
    stats: writeBatchCounts.unenroll,
  });

  return {
    ...repository,
    async enroll(input, tx = db) {
      if (tx !== db) return repository.enroll(input, tx);
      const { outcome } = await enrollments.load({ ...input, traceContext: traceContext.current() });
      return unwrap(await outcome);
    },
    unenroll(key, scope, now, eventId, tx = db) {
      if (tx !== db) return repository.unenroll(key, scope, now, eventId, tx);
      return unenrollments.load({ key, scope, now, eventId, traceContext: traceContext.current() });
    },
  };
}
