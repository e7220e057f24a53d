import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { findOne, insertUnlessTaken } from '../db/rows.js';
import { promotions } from '../db/schema.js';

export type PromotionRow = typeof promotions.$inferSelect;
export type NewPromotion = typeof promotions.$inferInsert;

/** The displayed count: the guarded counter while budgeted, else counted (never a hot row). */
// Qualified by hand: drizzle drops the table name in single-table selects, and the
// subquery would then read enrollments' own columns.
const displayedCount = sql<number>`case when "promotions"."max_enrollments" is null
  then (select count(*)::int from enrollments e where e.promotion_id = "promotions"."id")
  else "promotions"."enrollments_count" end`.as('displayed_count');

export type PromotionWithCount = PromotionRow & { displayedCount: number };

/** The changeable fields of a promotion (PATCH); absent ones stay as they are. */
export type PromotionChanges = Partial<
  Pick<
    NewPromotion,
    | 'name'
    | 'status'
    | 'startsAt'
    | 'endsAt'
    | 'durationDays'
    | 'taskLimitPerMonth'
    | 'maxEnrollments'
    | 'allowReenrollment'
  >
>;

// Raw and qualified for the same reason as displayedCount. Unbudgeted promotions do not
// maintain enrollments_count, so their count is read from enrollments.
const countedEnrollments = sql`(select count(*)::int from enrollments e where e.promotion_id = "promotions"."id")`;
const currentCount = sql`(case when "promotions"."max_enrollments" is null then ${countedEnrollments}
  else "promotions"."enrollments_count" end)`;

export function createPromotionsRepository(db: Db) {
  const selectWithCount = (tx: Db) =>
    tx
      .select({
        id: promotions.id,
        partnerId: promotions.partnerId,
        name: promotions.name,
        status: promotions.status,
        startsAt: promotions.startsAt,
        endsAt: promotions.endsAt,
        durationDays: promotions.durationDays,
        taskLimitPerMonth: promotions.taskLimitPerMonth,
        maxEnrollments: promotions.maxEnrollments,
        allowReenrollment: promotions.allowReenrollment,
        enrollmentsCount: promotions.enrollmentsCount,
        createdAt: promotions.createdAt,
        updatedAt: promotions.updatedAt,
        displayedCount,
      })
      .from(promotions);

  /** undefined when the id is taken. */
  async function insert(row: NewPromotion, tx: Db = db): Promise<PromotionRow | undefined> {
    return insertUnlessTaken(tx, promotions, row);
  }

  async function findById(id: string, tx: Db = db): Promise<PromotionRow | undefined> {
    return findOne(tx, promotions, eq(promotions.id, id));
  }

  async function findWithCount(id: string, tx: Db = db): Promise<PromotionWithCount | undefined> {
    const [row] = await selectWithCount(tx).where(eq(promotions.id, id)).limit(1);
    return row;
  }

  /** Keyset pagination by id: stable under inserts. */
  async function list(
    options: { limit: number; after?: string; partnerId?: string },
    tx: Db = db,
  ): Promise<PromotionWithCount[]> {
    const conditions: SQL[] = [];
    if (options.after !== undefined) conditions.push(gt(promotions.id, options.after));
    if (options.partnerId !== undefined) conditions.push(eq(promotions.partnerId, options.partnerId));
    return selectWithCount(tx)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(asc(promotions.id))
      .limit(options.limit);
  }

  /** The row, locked until the transaction ends (PATCH reads and changes it as one). */
  async function lockById(id: string, tx: Db = db): Promise<PromotionRow | undefined> {
    const [row] = await tx.select().from(promotions).where(eq(promotions.id, id)).for('update');
    return row;
  }

  /**
   * Applies the changes; false when a new max_enrollments is below the enrollments
   * already made. Setting a budget recounts the guarded counter in the same statement,
   * since it was not maintained while the promotion had none.
   */
  async function update(id: string, changes: PromotionChanges, now: Date, tx: Db = db): Promise<boolean> {
    const max = changes.maxEnrollments;
    const budgeted = max !== undefined && max !== null;
    const rows = await tx
      .update(promotions)
      .set({
        ...changes,
        ...(budgeted ? { enrollmentsCount: sql`${currentCount}` } : {}),
        updatedAt: now,
      })
      .where(and(eq(promotions.id, id), budgeted ? sql`${max} >= ${currentCount}` : undefined))
      .returning({ id: promotions.id });
    return rows.length > 0;
  }

  return { insert, findById, findWithCount, list, lockById, update };
}

export type PromotionsRepository = ReturnType<typeof createPromotionsRepository>;
