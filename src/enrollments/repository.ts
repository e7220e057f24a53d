import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
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

export function createEnrollmentsRepository(db: Db) {
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
        sql`
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
        ) u on true
        where e.id = ${key.id} and e.promotion_id = ${key.promotionId} and e.partner_id = ${scope.partnerId}
          ${scope.accountId ? sql`and e.account_id = ${scope.accountId}` : sql``}
          ${scope.includeUnenrolled ? sql`` : sql`and e.unenrolled_at is null`}`,
      );
      return row ? fromRaw(row) : undefined;
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
