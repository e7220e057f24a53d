// SQL of operators and their admin API keys (CONTRACT §11).
import { and, asc, desc, eq, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { findOne, insertUnlessTaken, sameEmail, updateOne } from '../db/rows.js';
import { adminApiKeys, operators } from '../db/schema.js';
import type { Role } from '../rules/roles.js';

export type OperatorRow = typeof operators.$inferSelect;
export type ApiKeyRow = typeof adminApiKeys.$inferSelect;

/** A key with what authentication needs of its operator, read in one round trip. */
export type ApiKeyWithOperator = ApiKeyRow & {
  operatorEmail: string;
  operatorRole: Role;
  operatorDisabledAt: Date | null;
};

/** last_used_at is written at most this often per key, so reads stay reads. */
const TOUCH_INTERVAL_MS = 60_000;

export function createOperatorsRepository(db: Db) {
  const keyWithOperator = (tx: Db) =>
    tx
      .select({
        id: adminApiKeys.id,
        operatorId: adminApiKeys.operatorId,
        name: adminApiKeys.name,
        role: adminApiKeys.role,
        secretHash: adminApiKeys.secretHash,
        lastUsedAt: adminApiKeys.lastUsedAt,
        revokedAt: adminApiKeys.revokedAt,
        createdAt: adminApiKeys.createdAt,
        operatorEmail: operators.email,
        operatorRole: operators.role,
        operatorDisabledAt: operators.disabledAt,
      })
      .from(adminApiKeys)
      .innerJoin(operators, eq(operators.id, adminApiKeys.operatorId));

  /** Every change of an operator's row stamps its updated_at. */
  const changeOperator = (
    id: string,
    changes: Omit<Partial<typeof operators.$inferInsert>, 'id' | 'updatedAt'>,
    now: Date,
    tx: Db,
  ) => updateOne(tx, operators, { ...changes, updatedAt: now }, eq(operators.id, id));

  /** undefined when the email is taken (case-insensitively); the unique index decides. */
  async function insertOperator(
    row: typeof operators.$inferInsert,
    tx: Db = db,
  ): Promise<OperatorRow | undefined> {
    return insertUnlessTaken(tx, operators, row);
  }

  async function findOperator(id: string, tx: Db = db): Promise<OperatorRow | undefined> {
    return findOne(tx, operators, eq(operators.id, id));
  }

  async function findOperatorByEmail(email: string, tx: Db = db): Promise<OperatorRow | undefined> {
    return findOne(tx, operators, sameEmail(operators.email, email));
  }

  /** By email (case-insensitively), for keyset pagination. */
  async function listOperators(
    options: { limit: number; afterEmail?: string },
    tx: Db = db,
  ): Promise<OperatorRow[]> {
    return tx
      .select()
      .from(operators)
      .where(
        options.afterEmail === undefined ? undefined : sql`lower(${operators.email}) > ${options.afterEmail}`,
      )
      .orderBy(sql`lower(${operators.email})`)
      .limit(options.limit);
  }

  /** The row, locked until the transaction ends. */
  async function lockOperator(id: string, tx: Db): Promise<OperatorRow | undefined> {
    const [row] = await tx.select().from(operators).where(eq(operators.id, id)).for('update');
    return row;
  }

  /** The enabled owners' ids, locked: two concurrent demotions cannot both leave none. */
  async function lockEnabledOwners(tx: Db): Promise<string[]> {
    const rows = await tx
      .select({ id: operators.id })
      .from(operators)
      .where(and(eq(operators.role, 'owner'), isNull(operators.disabledAt)))
      .orderBy(asc(operators.id))
      .for('update');
    return rows.map((r) => r.id);
  }

  async function updateOperator(
    id: string,
    changes: { role?: Role; disabledAt?: Date | null },
    now: Date,
    tx: Db = db,
  ): Promise<OperatorRow | undefined> {
    return changeOperator(id, changes, now, tx);
  }

  /** A new password hash; `mustChange`: the console asks for a new one at the next sign-in. */
  async function setPassword(
    id: string,
    passwordHash: string,
    mustChange: boolean,
    now: Date,
    tx: Db = db,
  ): Promise<OperatorRow | undefined> {
    return changeOperator(id, { passwordHash, mustChangePassword: mustChange }, now, tx);
  }

  async function insertApiKey(row: typeof adminApiKeys.$inferInsert, tx: Db = db): Promise<ApiKeyRow> {
    const [created] = await tx.insert(adminApiKeys).values(row).returning();
    return created!;
  }

  async function findApiKeyWithOperator(id: string, tx: Db = db): Promise<ApiKeyWithOperator | undefined> {
    const [row] = await keyWithOperator(tx).where(eq(adminApiKeys.id, id)).limit(1);
    return row;
  }

  /** An operator's keys, newest first (revoked ones too), for keyset pagination. */
  async function listApiKeys(
    operatorId: string,
    options: { limit: number; before?: { at: Date; id: string } },
    tx: Db = db,
  ): Promise<ApiKeyRow[]> {
    const conditions: SQL[] = [eq(adminApiKeys.operatorId, operatorId)];
    const before = options.before;
    if (before) {
      conditions.push(
        or(
          lt(adminApiKeys.createdAt, before.at),
          and(eq(adminApiKeys.createdAt, before.at), lt(adminApiKeys.id, before.id)),
        )!,
      );
    }
    return tx
      .select()
      .from(adminApiKeys)
      .where(and(...conditions))
      .orderBy(desc(adminApiKeys.createdAt), desc(adminApiKeys.id))
      .limit(options.limit);
  }

  /** Revokes a live key of this operator; undefined when there is none. */
  async function revokeApiKey(
    operatorId: string,
    id: string,
    now: Date,
    tx: Db = db,
  ): Promise<ApiKeyRow | undefined> {
    return updateOne(
      tx,
      adminApiKeys,
      { revokedAt: now },
      and(eq(adminApiKeys.id, id), eq(adminApiKeys.operatorId, operatorId), isNull(adminApiKeys.revokedAt)),
    );
  }

  /** Remembers the key's last use, at most once a minute. */
  async function touchApiKey(id: string, now: Date, tx: Db = db): Promise<void> {
    await tx
      .update(adminApiKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(adminApiKeys.id, id),
          or(
            isNull(adminApiKeys.lastUsedAt),
            lt(adminApiKeys.lastUsedAt, new Date(now.getTime() - TOUCH_INTERVAL_MS)),
          ),
        ),
      );
  }

  return {
    insertOperator,
    findOperator,
    findOperatorByEmail,
    listOperators,
    lockOperator,
    lockEnabledOwners,
    updateOperator,
    setPassword,
    insertApiKey,
    findApiKeyWithOperator,
    listApiKeys,
    revokeApiKey,
    touchApiKey,
  };
}

export type OperatorsRepository = ReturnType<typeof createOperatorsRepository>;
