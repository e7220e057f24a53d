// SQL of console sessions (CONTRACT §11): a row per sign-in, found by id, its operator joined.
import { and, eq, lte } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { consoleSessions, operators } from '../db/schema.js';

export function createSessionRepository(db: Db) {
  async function insert(row: typeof consoleSessions.$inferInsert, tx: Db = db): Promise<void> {
    await tx.insert(consoleSessions).values(row);
  }

  /** The session and its operator's current email, role and disabled time. */
  async function findWithOperator(id: string, tx: Db = db) {
    const [row] = await tx
      .select({
        id: consoleSessions.id,
        secretHash: consoleSessions.secretHash,
        expiresAt: consoleSessions.expiresAt,
        operatorId: operators.id,
        email: operators.email,
        role: operators.role,
        disabledAt: operators.disabledAt,
        mustChangePassword: operators.mustChangePassword,
      })
      .from(consoleSessions)
      .innerJoin(operators, eq(operators.id, consoleSessions.operatorId))
      .where(eq(consoleSessions.id, id))
      .limit(1);
    return row;
  }

  async function deleteSession(id: string, tx: Db = db): Promise<void> {
    await tx.delete(consoleSessions).where(eq(consoleSessions.id, id));
  }

  /** Sessions past their expiry, of every operator (dead weight). */
  async function deleteExpired(now: Date, operatorId?: string, tx: Db = db): Promise<void> {
    await tx
      .delete(consoleSessions)
      .where(
        and(
          lte(consoleSessions.expiresAt, now),
          operatorId ? eq(consoleSessions.operatorId, operatorId) : undefined,
        ),
      );
  }

  return { insert, findWithOperator, delete: deleteSession, deleteExpired };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
