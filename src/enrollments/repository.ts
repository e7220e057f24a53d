import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { TokenRow } from '../auth/token-service.js';
import { type Db, queryRows } from '../db/client.js';
import { enrollmentEvents, enrollments } from '../db/schema.js';

export type EnrollmentRow = typeof enrollments.$inferSelect;
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
  expires_at: Date | null;
  unenrolled_at: Date | null;
  task_limit_per_month: number | null;
  usage_cycle_start: Date | null;
  usage_used: number | null;
}

type RawView = Omit<EnrollmentView, 'enrolled_at' | 'expires_at' | 'unenrolled_at' | 'usage_cycle_start'> & {
  enrolled_at: number;
  expires_at: number | null;
  unenrolled_at: number | null;
  usage_cycle_start: number | null;
};

/**
 * Raw queries read instants as epoch milliseconds (float8): both drivers parse that to a
 * number, whereas drizzle leaves raw timestamptz as driver-specific strings.
 */
export const epochMs = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;
const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));

function fromRaw(row: RawView): EnrollmentView {
  return {
    ...row,
    enrolled_at: new Date(row.enrolled_at),
    expires_at: toDate(row.expires_at),
    unenrolled_at: toDate(row.unenrolled_at),
    usage_cycle_start: toDate(row.usage_cycle_start),
  };
}

/** Enrollments with their promotion's limit and newest usage counter up to `now`; callers add the WHERE. */
const selectViews = (now: Date) => sql`
        select e.id, e.promotion_id, e.account_id, e.partner_id,
               ${epochMs(sql`e.enrolled_at`)} as enrolled_at, ${epochMs(sql`e.expires_at`)} as expires_at,
               ${epochMs(sql`e.unenrolled_at`)} as unenrolled_at,
               p.task_limit_per_month, ${epochMs(sql`u.cycle_start`)} as usage_cycle_start, u.used as usage_used
        from enrollments e
        join promotions p on p.id = e.promotion_id
        left join lateral (
          select cycle_start, used from usage_counters c
          where c.enrollment_id = e.id and c.cycle_start <= ${now}
          order by c.cycle_start desc limit 1
        ) u on true`;

export type AdminEnrollmentStatus = 'enrolled' | 'expired' | 'unenrolled';

/** Status as the admin API shows it; unenrolled wins over expired. Mirrors adminStatus(). */
const statusFilter = (status: AdminEnrollmentStatus, now: Date) =>
  ({
    enrolled: sql`and e.unenrolled_at is null and (e.expires_at is null or e.expires_at >= ${now})`,
    expired: sql`and e.unenrolled_at is null and e.expires_at < ${now}`,
    unenrolled: sql`and e.unenrolled_at is not null`,
  })[status];

export interface EventRow {
  id: string;
  type: EventType;
  actor_type: ActorType;
  actor_id: string | null;
  data: Record<string, unknown>;
  /** Epoch ms with the stored precision, for the keyset cursor. */
  created_at: number;
}

/** The enrollment a GET asked for, fetched with the token (null: not visible to it). */
export interface PrefetchedView {
  view: EnrollmentView | null;
  now: Date;
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
};

export function createEnrollmentsRepository(db: Db) {
  /** markExpired, answering the ids it marked. */
  async function markExpiredIds(now: Date, batch: number, tx: Db = db): Promise<string[]> {
    const rows = await queryRows<{ enrollment_id: string }>(
      tx,
      sql`with due as (
            select id from enrollments
            where expired_at is null and unenrolled_at is null and expires_at < ${now}
            order by expires_at
            limit ${batch}
            for update skip locked
          ), marked as (
            update enrollments e set expired_at = ${now}
            from due where e.id = due.id
            returning e.id, e.expires_at
          )
          insert into enrollment_events (id, enrollment_id, type, actor_type, actor_id, data, created_at)
          select gen_random_uuid(), id, 'expired', 'system', null,
                 jsonb_build_object('expiration_date',
                   to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                 ${now}
          from marked
          returning enrollment_id`,
    );
    return rows.map((r) => r.enrollment_id);
  }

  return {
    /**
     * Rule 4 with re-enrollment allowed: a dead (unenrolled or expired) current enrollment
     * stops being current so a new one may take its place.
     */
    async retireDeadCurrent(promotionId: string, accountId: string, now: Date, tx: Db = db): Promise<void> {
      await tx.execute(sql`
        update enrollments set is_current = false
        where promotion_id = ${promotionId} and account_id = ${accountId} and is_current
          and (unenrolled_at is not null or (expires_at is not null and expires_at < ${now}))`);
    },

    /** Inserts the current enrollment; undefined when one is already current (the partial unique index decides). */
    async insertCurrent(row: typeof enrollments.$inferInsert, tx: Db = db): Promise<string | undefined> {
      const [created] = await tx
        .insert(enrollments)
        .values(row)
        .onConflictDoNothing({
          target: [enrollments.promotionId, enrollments.accountId],
          where: sql`is_current`,
        })
        .returning({ id: enrollments.id });
      return created?.id;
    },

    /** One round trip: the enrollment, its promotion's limit and its newest usage counter up to `now`. */
    async findView(
      key: EnrollmentKey,
      scope: { partnerId: string; accountId?: string | null; includeUnenrolled?: boolean },
      now: Date,
      tx: Db = db,
    ): Promise<EnrollmentView | undefined> {
      const [row] = await queryRows<RawView>(
        tx,
        sql`${selectViews(now)}
        where e.id = ${key.id} and e.promotion_id = ${key.promotionId} and e.partner_id = ${scope.partnerId}
          ${scope.accountId ? sql`and e.account_id = ${scope.accountId}` : sql``}
          ${scope.includeUnenrolled ? sql`` : sql`and e.unenrolled_at is null`}`,
      );
      return row ? fromRaw(row) : undefined;
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
     * Marks up to `batch` enrollments past their expiration and appends their `expired`
     * event, in one statement. SKIP LOCKED lets several instances sweep side by side.
     */
    async markExpired(now: Date, batch: number, tx: Db = db): Promise<number> {
      return (await markExpiredIds(now, batch, tx)).length;
    },

    markExpiredIds,

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

    /**
     * GET in one round trip: the access token row and, seen through that token's partner (and
     * account, for a user token), the enrollment's view. Verification of the token itself
     * stays in the token service; this only saves the second query.
     */
    async findTokenWithView(
      tokenId: string,
      key: EnrollmentKey,
      now: Date,
      tx: Db = db,
    ): Promise<{ token: TokenRow | undefined; extra: PrefetchedView }> {
      const [row] = await queryRows<RawTokenWithView>(
        tx,
        sql`
        select t.id as t_id, t.secret_hash as t_secret_hash, t.kind as t_kind, t.partner_id as t_partner_id,
               t.account_id as t_account_id, t.scopes as t_scopes,
               ${epochMs(sql`t.expires_at`)} as t_expires_at, ${epochMs(sql`t.revoked_at`)} as t_revoked_at, v.*
        from access_tokens t
        left join lateral (
          ${selectViews(now)}
          where e.id = ${key.id} and e.promotion_id = ${key.promotionId} and e.partner_id = t.partner_id
            and (t.kind = 'app' or e.account_id = t.account_id) and e.unenrolled_at is null
        ) v on true
        where t.id = ${tokenId}`,
      );
      if (!row) return { token: undefined, extra: { view: null, now } };
      const token: TokenRow = {
        id: row.t_id,
        secretHash: row.t_secret_hash,
        kind: row.t_kind,
        partnerId: row.t_partner_id,
        accountId: row.t_account_id,
        scopes: row.t_scopes,
        expiresAt: new Date(row.t_expires_at),
        revokedAt: toDate(row.t_revoked_at),
      };
      return { token, extra: { view: row.id === null ? null : fromRaw(row as RawView), now } };
    },

    /** Soft delete (rule 8); false when there is nothing live to unenroll. */
    async markUnenrolled(key: EnrollmentKey, partnerId: string, now: Date, tx: Db = db): Promise<boolean> {
      const rows = await queryRows<{ id: string }>(
        tx,
        sql`update enrollments set unenrolled_at = ${now}
            where id = ${key.id} and promotion_id = ${key.promotionId} and partner_id = ${partnerId}
              and unenrolled_at is null
            returning id`,
      );
      return rows.length > 0;
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
}

export type EnrollmentsRepository = ReturnType<typeof createEnrollmentsRepository>;
