import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { accounts } from '../db/schema.js';

export type AccountRow = typeof accounts.$inferSelect;

export function createAccountsRepository(db: Db) {
  return {
    /** undefined when the email is taken (case-insensitively); the unique index decides. */
    async insert(row: typeof accounts.$inferInsert, tx: Db = db): Promise<AccountRow | undefined> {
      const [created] = await tx.insert(accounts).values(row).onConflictDoNothing().returning();
      return created;
    },
    async findById(id: string, tx: Db = db): Promise<AccountRow | undefined> {
      const [row] = await tx.select().from(accounts).where(eq(accounts.id, id)).limit(1);
      return row;
    },
    /** A new password hash (the bootstrap file of CONTRACT §10, the admin API); false: no such account. */
    async setPasswordHash(id: string, passwordHash: string, tx: Db = db): Promise<boolean> {
      const rows = await tx
        .update(accounts)
        .set({ passwordHash })
        .where(eq(accounts.id, id))
        .returning({ id: accounts.id });
      return rows.length > 0;
    },
    async findByEmail(email: string, tx: Db = db): Promise<AccountRow | undefined> {
      const [row] = await tx
        .select()
        .from(accounts)
        .where(sql`lower(${accounts.email}) = lower(${email})`)
        .limit(1);
      return row;
    },
  };
}

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;
