// The builder statements repositories write the same way over their own tables (src/db/README.md
// §4: a statement shared by several functions is a builder, not a copy). Each repository still
// names its function (`findOperator`, `consumeCode`…) and keeps the rule in its `where`.
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

/** The one row `where` selects, or undefined. */
export async function findOne<T extends PgTable>(
  tx: Db,
  table: T,
  where: SQL | undefined,
): Promise<T['$inferSelect'] | undefined> {
  const [row] = await tx
    .select()
    .from(table as PgTable)
    .where(where)
    .limit(1);
  return row as T['$inferSelect'] | undefined;
}

/** The row inserted, or undefined when a unique index refused it (the index decides, never a read). */
export async function insertUnlessTaken<T extends PgTable>(
  tx: Db,
  table: T,
  row: T['$inferInsert'],
): Promise<T['$inferSelect'] | undefined> {
  const [created] = await tx.insert(table).values(row).onConflictDoNothing().returning();
  return created as T['$inferSelect'] | undefined;
}

/**
 * Sets `changes` on the row `where` selects and returns it; undefined when none matched (the
 * row is gone, or a guard in `where` refused: a conditional UPDATE … RETURNING).
 */
export async function updateOne<T extends PgTable>(
  tx: Db,
  table: T,
  changes: PgUpdateSetSource<T>,
  where: SQL | undefined,
): Promise<T['$inferSelect'] | undefined> {
  const rows = (await tx.update(table).set(changes).where(where).returning()) as T['$inferSelect'][];
  return rows[0];
}

/** Emails are unique case-insensitively (the `lower(email)` unique indexes): compared the same way. */
export const sameEmail = (column: PgColumn, email: string): SQL => sql`lower(${column}) = lower(${email})`;
