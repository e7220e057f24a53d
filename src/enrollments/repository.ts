import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { TokenRow } from '../auth/token-service.js';
import { type Db, queryRows } from '../db/client.js';
import { timeOrderedUuid } from '../db/ids.js';
import { prepared } from '../db/prepared.js';
import { enrollmentEvents } from '../db/schema.js';
import { EFFECTIVE_EXPIRES_AT, epochMs, toDate } from '../db/sql.js';
import { outboxCtes, rfc3339Sql } from '../outbox/outbox.js';
import { billingCycleSql } from '../promotions/billing-cycle-sql.js';

export type EventType = (typeof enrollmentEvents.$inferInsert)['type'];
export type ActorType = (typeof enrollmentEvents.$inferInsert)['actorType'];

export interface EnrollmentKey {
  id: string;
  promotionId: string;
}

/** An enrollment with what a read needs: the promotion's limit and the newest usage counter. */
export interface EnrollmentView {
  id: string;
  promotion_id: string;
  account_id: string;
  partner_id: string;
  enrolled_at: Date;
  /** The effective expiration (SPEC §3 rules 1 and 10): its own, or the promotion's end if earlier. */
  expires_at: Date | null;
  unenrolled_at: Date | null;
  task_limit_per_month: number | null;
  usage_cycle_start: Date | null;
  usage_used: number | null;
  /** SPEC §9: the time of the enrollment's test clock, its "now"; null for a live enrollment. */
  clock_time: Date | null;
}

type RawView = Omit<
  EnrollmentView,
  'enrolled_at' | 'expires_at' | 'unenrolled_at' | 'usage_cycle_start' | 'clock_time'
> & {
  enrolled_at: number;
  expires_at: number | null;
  unenrolled_at: number | null;
  usage_cycle_start: number | null;
  clock_time: number | null;
};

function fromRaw(row: RawView): EnrollmentView {
  return {
    ...row,
    enrolled_at: new Date(row.enrolled_at),
    expires_at: toDate(row.expires_at),
    unenrolled_at: toDate(row.unenrolled_at),
    usage_cycle_start: toDate(row.usage_cycle_start),
    clock_time: toDate(row.clock_time),
  };
}

/**
 * Enrollments with their promotion's limit and newest usage counter up to their "now": the
 * time of their test clock (SPEC §9), joined by the enrollment's own row (a live one's null key
 * joins nothing), else `now`. Callers add the WHERE.
 */
const selectViews = (now: unknown) => sql`
        select e.id, e.promotion_id, e.account_id, e.partner_id,
               ${epochMs(sql`e.enrolled_at`)} as enrolled_at, ${epochMs(EFFECTIVE_EXPIRES_AT)} as expires_at,
               ${epochMs(sql`e.unenrolled_at`)} as unenrolled_at,
               p.task_limit_per_month, ${epochMs(sql`u.cycle_start`)} as usage_cycle_start, u.used as usage_used,
               ${epochMs(sql`tc.frozen_time`)} as clock_time
        from enrollments e
        join promotions p on p.id = e.promotion_id
        left join test_clocks tc on tc.id = e.test_clock_id
        left join lateral (
          select cycle_start, used from usage_counters c
          where c.enrollment_id = e.id and c.cycle_start <= coalesce(tc.frozen_time, ${now}::timestamptz)
          order by c.cycle_start desc limit 1
        ) u on true`;

export type AdminEnrollmentStatus = 'enrolled' | 'expired' | 'unenrolled';

/**
 * Status as the admin API shows it (src/admin/resources.ts); unenrolled wins over expired.
 * Over selectViews: an enrollment on a test clock is judged at its clock's time (SPEC §9).
 */
const statusFilter = (status: AdminEnrollmentStatus, wallNow: Date) => {
  const now = sql`coalesce(tc.frozen_time, ${wallNow}::timestamptz)`;
  return {
    enrolled: sql`and e.unenrolled_at is null and (${EFFECTIVE_EXPIRES_AT} is null or ${EFFECTIVE_EXPIRES_AT} >= ${now})`,
    expired: sql`and e.unenrolled_at is null and ${EFFECTIVE_EXPIRES_AT} < ${now}`,
    unenrolled: sql`and e.unenrolled_at is not null`,
  }[status];
};

export interface EventRow {
  id: string;
  type: EventType;
  actor_type: ActorType;
  actor_id: string | null;
  data: Record<string, unknown>;
  /** Epoch ms with the stored precision, for the keyset cursor. */
  created_at: number;
}

type RawTokenWithView = Partial<RawView> & {
  id: string | null;
  t_id: string;
  t_secret_hash: string;
  t_kind: 'app' | 'user';
  t_partner_id: string;
  t_account_id: string | null;
  t_scopes: string[];
  t_expires_at: number;
  t_revoked_at: number | null;
  t_test_clock_id: string | null;
  t_clock_time: number | null;
};

/**
 * GET in one round trip: the access token row and, seen through that token's partner (and
 * account, for a user token), the enrollment's view. Its WHERE is the visibility rule of
 * public reads (SPEC §3 rule 7); the token itself is checked by the caller.
 */
const tokenWithView = prepared<
  RawTokenWithView,
  { tokenId: string; id: string; promotionId: string; now: Date }
>(
  'enrollment_token_with_view',
  sql`
        select t.id as t_id, t.secret_hash as t_secret_hash, t.kind as t_kind, t.partner_id as t_partner_id,
               t.account_id as t_account_id, t.scopes as t_scopes,
               ${epochMs(sql`t.expires_at`)} as t_expires_at, ${epochMs(sql`t.revoked_at`)} as t_revoked_at,
               t.test_clock_id as t_test_clock_id, ${epochMs(sql`tt.frozen_time`)} as t_clock_time, v.*
        from access_tokens t
        left join test_clocks tt on tt.id = t.test_clock_id
        left join lateral (
          ${selectViews(sql.placeholder('now'))}
          where e.id = ${sql.placeholder('id')} and e.promotion_id = ${sql.placeholder('promotionId')}
            and e.partner_id = t.partner_id
            and (t.kind = 'app' or e.account_id = t.account_id) and e.unenrolled_at is null
        ) v on true
        where t.id = ${sql.placeholder('tokenId')}`,
);

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
  /** The wall clock's instant: the webhook deliveries are due then (SPEC §9). */
  wallNow: Date;
  /** `now` to the second, as the enrollment date. */
  enrolledAt: Date;
  /** The first billing cycle's end (its start is `enrolledAt`), for the webhook event's data. */
  cycleEnd: Date;
  /** The `enrollment.created` event's id (`evt_…`). */
  eventId: string;
  /** SPEC §9: the account's test clock (from its token), copied onto the enrollment; null when live. */
  testClockId: string | null;
}

/**
 * POST in one statement (SPEC §3 rules 1 and 4–6): the promotion must be this partner's,
 * active and in its window; a budgeted one gives a seat by the conditional UPDATE (rule 5,
 * row-locked, never past the maximum); with re-enrollment allowed a dead current enrollment
 * retires first, only when the insert will run (forced before it by the insert reading it),
 * so a refused request changes nothing (rule 9); the insert has no
 * ON CONFLICT, so an existing current enrollment (rule 4) fails the whole statement on the
 * partial unique index and the seat taken for it is rolled back with it. The expiration is
 * rule 1 without the cap: the promotion's end binds at read time (rule 10, EFFECTIVE_EXPIRES_AT).
 */
const enrollStatement = prepared<EnrollOutcome, Record<keyof EnrollInput | 'auditId', unknown>>(
  'enrollment_enroll',
  sql`
    with p as (
      select id, status, starts_at, ends_at, duration_days, max_enrollments, allow_reenrollment, task_limit_per_month
      from promotions where id = ${sql.placeholder('promotionId')} and partner_id = ${sql.placeholder('partnerId')}
    ), usable as (
      select * from p
      where status = 'active'
        and (starts_at is null or starts_at <= ${sql.placeholder('now')}::timestamptz)
        and (ends_at is null or ${sql.placeholder('now')}::timestamptz < ends_at)
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
        and (e.unenrolled_at is not null or least(e.expires_at, u.ends_at) < ${sql.placeholder('now')}::timestamptz)
      returning e.id
    ), inserted as (
      insert into enrollments (id, promotion_id, account_id, partner_id, enrolled_at, expires_at, is_current, created_at,
                               test_clock_id)
      select ${sql.placeholder('id')}::uuid, u.id, ${sql.placeholder('accountId')}::uuid, ${sql.placeholder('partnerId')}::uuid,
             ${sql.placeholder('enrolledAt')}::timestamptz,
             case when u.duration_days is null then null
                  else ((((${sql.placeholder('enrolledAt')}::timestamptz at time zone 'UTC')::date + (u.duration_days - 1))
                         + time '23:59:59') at time zone 'UTC') end,
             true, ${sql.placeholder('now')}::timestamptz, ${sql.placeholder('testClockId')}::text
      from usable u
      where (u.max_enrollments is null or exists (select 1 from seat))
        and (select count(*) from retired) >= 0
      returning id, promotion_id, enrolled_at, expires_at
    ), event as (
      insert into enrollment_events (id, enrollment_id, type, actor_type, actor_id, data, created_at)
      select ${sql.placeholder('auditId')}::uuid, id, 'enrolled', 'partner', ${sql.placeholder('partnerId')}::uuid, '{}'::jsonb,
             ${sql.placeholder('now')}::timestamptz
      from inserted
      returning enrollment_id
    ), ${outboxCtes({
      name: 'created_event',
      id: sql`${sql.placeholder('eventId')}::text`,
      source: sql`inserted i cross join usable u`,
      partnerId: sql`${sql.placeholder('partnerId')}::uuid`,
      type: 'enrollment.created',
      data: sql`jsonb_build_object(
        'promotion_id', i.promotion_id,
        'enrollment_date', ${rfc3339Sql(sql`i.enrolled_at`)},
        'expiration_date', ${rfc3339Sql(sql`least(i.expires_at, u.ends_at)`)},
        'task_limit_per_month', u.task_limit_per_month,
        'tasks_used_this_month', 0,
        'status', 'enrolled',
        'enrollment_id', i.promotion_id || ':' || i.id,
        'billing_cycle_start', ${rfc3339Sql(sql`i.enrolled_at`)},
        'billing_cycle_end', ${rfc3339Sql(sql`${sql.placeholder('cycleEnd')}::timestamptz`)})`,
      at: sql`${sql.placeholder('now')}::timestamptz`,
      dueAt: sql`${sql.placeholder('wallNow')}::timestamptz`,
    })}
    select p.status, ${epochMs(sql`p.starts_at`)} as starts_at, ${epochMs(sql`p.ends_at`)} as ends_at,
           p.max_enrollments is not null as budgeted,
           (select count(*) from event)::int as inserted
    from (select 1) as one left join p on true`,
);

/**
 * DELETE in one statement (rule 8): the soft delete, its audit event and its webhook event
 * (SPEC §8, `data` as GET showed the enrollment at that moment: the cycle bounds by rule 2
 * in SQL, `billingCycleSql`). A user token (`accountId` set) reaches only its own account's
 * enrollments; an app token any of its partner's. A concurrent second DELETE finds the row
 * already unenrolled once it may lock it, and changes nothing. An enrollment on a test clock
 * is unenrolled at the clock's time (SPEC §9).
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
    auditId: string;
  }
>(
  'enrollment_unenroll',
  sql`
    with target as (
      select e.id, e.promotion_id, e.enrolled_at, ${EFFECTIVE_EXPIRES_AT} as expires_at, p.task_limit_per_month,
             coalesce(tc.frozen_time, ${sql.placeholder('now')}::timestamptz) as at
      from enrollments e join promotions p on p.id = e.promotion_id
      left join test_clocks tc on tc.id = e.test_clock_id
      where e.id = ${sql.placeholder('id')}::uuid and e.promotion_id = ${sql.placeholder('promotionId')}
        and e.partner_id = ${sql.placeholder('partnerId')}::uuid
        and (${sql.placeholder('accountId')}::uuid is null or e.account_id = ${sql.placeholder('accountId')}::uuid)
        and e.unenrolled_at is null
    ), marked as (
      update enrollments en set unenrolled_at = t.at
      from target t where en.id = t.id and en.unenrolled_at is null
      returning en.id, en.unenrolled_at
    ), audit as (
      insert into enrollment_events (id, enrollment_id, type, actor_type, actor_id, data, created_at)
      select ${sql.placeholder('auditId')}::uuid, id, 'unenrolled', 'partner', ${sql.placeholder('partnerId')}::uuid, '{}'::jsonb,
             unenrolled_at
      from marked
      returning enrollment_id
    ), detail as (
      select t.*, cy.cycle_start, cy.cycle_end,
             coalesce((select uc.used from usage_counters uc
                       where uc.enrollment_id = t.id and uc.cycle_start = cy.cycle_start), 0) as used
      from marked m join target t on t.id = m.id
      cross join lateral ${billingCycleSql(sql`t.enrolled_at`, sql`t.at`)} cy
    ), ${outboxCtes({
      name: 'unenrolled_event',
      id: sql`${sql.placeholder('eventId')}::text`,
      source: sql`detail d`,
      partnerId: sql`${sql.placeholder('partnerId')}::uuid`,
      type: 'enrollment.unenrolled',
      data: sql`jsonb_build_object(
        'promotion_id', d.promotion_id,
        'enrollment_date', ${rfc3339Sql(sql`d.enrolled_at`)},
        'expiration_date', ${rfc3339Sql(sql`d.expires_at`)},
        'task_limit_per_month', d.task_limit_per_month,
        'tasks_used_this_month', d.used,
        'status', case when d.expires_at < d.at then 'expired' else 'enrolled' end,
        'enrollment_id', d.promotion_id || ':' || d.id,
        'billing_cycle_start', ${rfc3339Sql(sql`d.cycle_start`)},
        'billing_cycle_end', ${rfc3339Sql(sql`d.cycle_end`)})`,
      at: sql`d.at`,
      dueAt: sql`${sql.placeholder('now')}::timestamptz`,
    })}
    select enrollment_id as id from audit`,
);

const EXPIRE_BATCH = 1_000;

export function createEnrollmentsRepository(db: Db) {
  const repository = {
    /** Enrolls in one statement; a current enrollment already there throws the unique violation (23505). */
    async enroll(input: EnrollInput, tx: Db = db): Promise<EnrollOutcome> {
      // The audit event's key is time-ordered (src/db/ids.ts), like the webhook event's.
      const [row] = await enrollStatement(tx, { ...input, auditId: timeOrderedUuid() });
      return row!;
    },

    /** Unenrolls in one statement; false when there is nothing live (of this account, for a user token) to unenroll. */
    async unenroll(
      key: EnrollmentKey,
      scope: { partnerId: string; accountId: string | null },
      now: Date,
      eventId: string,
      tx: Db = db,
    ): Promise<boolean> {
      const rows = await unenrollStatement(tx, {
        ...key,
        ...scope,
        now,
        eventId,
        auditId: timeOrderedUuid(),
      });
      return rows.length > 0;
    },

    /** A promotion's enrollments (unenrolled ones too) by id, for keyset pagination. */
    async listByPromotion(
      promotionId: string,
      options: { limit: number; afterId?: string; status?: AdminEnrollmentStatus },
      now: Date,
      tx: Db = db,
    ): Promise<EnrollmentView[]> {
      const rows = await queryRows<RawView>(
        tx,
        sql`${selectViews(now)}
        where e.promotion_id = ${promotionId}
          ${options.afterId !== undefined ? sql`and e.id > ${options.afterId}` : sql``}
          ${options.status ? statusFilter(options.status, now) : sql``}
        order by e.id
        limit ${options.limit}`,
      );
      return rows.map(fromRaw);
    },

    /** Whether the enrollment exists at all (unenrolled ones included): the admin sees everything. */
    async exists(key: EnrollmentKey, tx: Db = db): Promise<boolean> {
      const rows = await queryRows<{ id: string }>(
        tx,
        sql`select id from enrollments where id = ${key.id} and promotion_id = ${key.promotionId}`,
      );
      return rows.length > 0;
    },

    /** The audit trail, oldest first; ties in a stable order by id. */
    async listEvents(
      enrollmentId: string,
      options: { limit: number; after?: { at: number; id: string } },
      tx: Db = db,
    ): Promise<EventRow[]> {
      return queryRows<EventRow>(
        tx,
        sql`select id, type, actor_type, actor_id, data, ${epochMs(sql`created_at`)} as created_at
            from enrollment_events
            where enrollment_id = ${enrollmentId}
              ${
                options.after
                  ? sql`and (created_at, id) > (to_timestamp(${options.after.at}::float8 / 1000), ${options.after.id}::uuid)`
                  : sql``
              }
            order by created_at, id
            limit ${options.limit}`,
      );
    },

    /**
     * Marks up to `batch` enrollments past their effective expiration (rule 10: a promotion's
     * end binds them) and appends their `expired` event, in one statement; the ids marked.
     * SKIP LOCKED lets several instances sweep side by side. Which enrollments, at which time
     * (SPEC §9: an enrollment on a test clock lives at its clock's time):
     * - by default (the sweeper): live ones only, at `now`;
     * - `testClockId` (a clock's advance): that clock's only, at `now`, the clock's new time;
     * - `promotionId` (a promotion that just ended expires its enrollments at once): that
     *   promotion's, each at its own time — `now`, or its clock's time.
     */
    async markExpired(
      now: Date,
      batch: number,
      tx: Db = db,
      options: { promotionId?: string; testClockId?: string } = {},
    ): Promise<string[]> {
      const { promotionId, testClockId } = options;
      const eachAtOwnTime = promotionId !== undefined && testClockId === undefined;
      const at = eachAtOwnTime
        ? sql`coalesce(tc.frozen_time, ${now}::timestamptz)`
        : sql`${now}::timestamptz`;
      const rows = await queryRows<{ enrollment_id: string }>(
        tx,
        sql`with due as (
              select e.id, ${EFFECTIVE_EXPIRES_AT} as expires_at, ${at} as at
              from enrollments e join promotions p on p.id = e.promotion_id
              ${eachAtOwnTime ? sql`left join test_clocks tc on tc.id = e.test_clock_id` : sql``}
              where e.expired_at is null and e.unenrolled_at is null and ${EFFECTIVE_EXPIRES_AT} < ${at}
                ${promotionId !== undefined ? sql`and e.promotion_id = ${promotionId}` : sql``}
                ${
                  testClockId !== undefined
                    ? sql`and e.test_clock_id = ${testClockId}`
                    : eachAtOwnTime
                      ? sql``
                      : sql`and e.test_clock_id is null`
                }
              order by ${EFFECTIVE_EXPIRES_AT}
              limit ${batch}
              for update of e skip locked
            ), marked as (
              update enrollments e set expired_at = due.at
              from due where e.id = due.id
              returning e.id, due.expires_at, due.at
            )
            insert into enrollment_events (id, enrollment_id, type, actor_type, actor_id, data, created_at)
            select gen_random_uuid(), id, 'expired', 'system', null,
                   jsonb_build_object('expiration_date',
                     to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                   at
            from marked
            returning enrollment_id`,
      );
      return rows.map((r) => r.enrollment_id);
    },

    /**
     * Rule 10: every enrollment of a promotion whose end has passed, expired now (in batches);
     * one on a test clock when its clock's time is past the end, at that time (SPEC §9).
     */
    async expireEndedPromotion(promotionId: string, now: Date, tx: Db = db): Promise<string[]> {
      const expired: string[] = [];
      for (;;) {
        const batch = await repository.markExpired(now, EXPIRE_BATCH, tx, { promotionId });
        expired.push(...batch);
        if (batch.length < EXPIRE_BATCH) return expired;
      }
    },

    /** Views of these enrollments (unenrolled ones too), e.g. for the webhook events of a batch. */
    async findViewsByIds(ids: string[], now: Date, tx: Db = db): Promise<EnrollmentView[]> {
      if (ids.length === 0) return [];
      const rows = await queryRows<RawView>(
        tx,
        sql`${selectViews(now)}
        where e.id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      );
      return rows.map(fromRaw);
    },

    /** Whether an enrollment row exists: settles a commit whose acknowledgement was lost. */
    async existsById(id: string, tx: Db = db): Promise<boolean> {
      const rows = await queryRows<{ one: number }>(
        tx,
        sql`select 1 as one from enrollments where id = ${id}`,
      );
      return rows.length > 0;
    },

    async isUnenrolled(id: string, tx: Db = db): Promise<boolean> {
      const rows = await queryRows<{ one: number }>(
        tx,
        sql`select 1 as one from enrollments where id = ${id} and unenrolled_at is not null`,
      );
      return rows.length > 0;
    },

    /** The token row and the enrollment it may see, in one round trip (see tokenWithView). */
    async findTokenWithView(
      tokenId: string,
      key: EnrollmentKey,
      now: Date,
      tx: Db = db,
    ): Promise<{ token: TokenRow | undefined; view: EnrollmentView | null }> {
      const [row] = await tokenWithView(tx, { tokenId, id: key.id, promotionId: key.promotionId, now });
      if (!row) return { token: undefined, view: null };
      const token: TokenRow = {
        id: row.t_id,
        secretHash: row.t_secret_hash,
        kind: row.t_kind,
        partnerId: row.t_partner_id,
        accountId: row.t_account_id,
        scopes: row.t_scopes,
        expiresAt: new Date(row.t_expires_at),
        revokedAt: toDate(row.t_revoked_at),
        testClockId: row.t_test_clock_id,
        clockTime: toDate(row.t_clock_time),
      };
      return { token, view: row.id === null ? null : fromRaw(row as RawView) };
    },

    async insertEvent(
      event: {
        enrollmentId: string;
        type: EventType;
        actorType: ActorType;
        actorId: string | null;
        data?: Record<string, unknown>;
        at: Date;
      },
      tx: Db = db,
    ): Promise<void> {
      await tx.insert(enrollmentEvents).values({
        id: randomUUID(),
        enrollmentId: event.enrollmentId,
        type: event.type,
        actorType: event.actorType,
        actorId: event.actorId,
        data: event.data ?? {},
        createdAt: event.at,
      });
    },
  };
  return repository;
}

export type EnrollmentsRepository = ReturnType<typeof createEnrollmentsRepository>;
