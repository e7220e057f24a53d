// The delete graph, decided once: which rows die with their parent. The schema says it for
// every foreign key (`onDelete: 'cascade'`, migrations/0009), so deleting a partner, an
// account, a test clock or an enrollment takes its own rows with it in the database. This file
// lists the two exceptions drizzle cannot express, and deleteOwned() runs the one that needs
// work: a reference without a foreign key whose rows die with their parent.
// test/db/ownership.test.ts holds every reference of the schema to one of these two lists.
import { getTableName, is, type SQL, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';
import { queryRows } from './client.js';
import * as schema from './schema.js';

export type OnDelete = 'cascade' | 'no action';

/** One column that names a row of another table. */
export interface Reference {
  child: PgTable;
  column: string;
  parent: PgTable;
  parentColumn: string;
  onDelete: OnDelete;
  /** False for a reference without a foreign key: deleteOwned() deletes its rows. */
  keyed: boolean;
}

/** Foreign keys that do not cascade, and why; every other one does (test/db/ownership.test.ts). */
export const NOT_CASCADING: Record<string, string> = {
  // CONTRACT §3 rule 8: an enrollment's history is the audit trail. It keeps its promotion,
  // account and partner (prune keeps them, "kept while enrolled"); only a test clock's delete
  // deletes enrollments, on purpose, giving their seats back (src/test-clocks/repository.ts).
  enrollments_promotion_id_promotions_id_fk: 'an enrollment keeps its promotion',
  enrollments_account_id_accounts_id_fk: 'an enrollment keeps its account',
  enrollments_partner_id_partners_id_fk: 'an enrollment keeps its partner',
  enrollments_test_clock_id_test_clocks_id_fk: "a test clock's delete deletes its enrollments first",
  // CONTRACT §11: operators are disabled, never deleted; their keys and sessions stay audited.
  admin_api_keys_operator_id_operators_id_fk: 'operators are never deleted',
  console_sessions_operator_id_operators_id_fk: 'operators are never deleted',
};

/**
 * References without a foreign key. The ledger is partitioned, and a foreign key would lock
 * the enrollment for every insert (src/db/schema.ts): its rows die with the enrollment, by
 * deleteOwned(). A platform event's record is kept until it is swept
 * (USAGE_EVENT_RETENTION_DAYS, CONTRACT §12): it is the answer to a repeat of the event, and
 * there is no index by account to delete it per account.
 */
export const UNKEYED: readonly Reference[] = [
  {
    child: schema.usageLedger,
    column: 'enrollment_id',
    parent: schema.enrollments,
    parentColumn: 'id',
    onDelete: 'cascade',
    keyed: false,
  },
  {
    child: schema.usageEvents,
    column: 'account_id',
    parent: schema.accounts,
    parentColumn: 'id',
    onDelete: 'no action',
    keyed: false,
  },
];

export const TABLES: readonly PgTable[] = (Object.values(schema) as unknown[]).filter((v): v is PgTable =>
  is(v, PgTable),
);

/** Every foreign key of the schema, as a reference (all of them have one column). */
function foreignKeys(): Reference[] {
  return TABLES.flatMap((child) =>
    getTableConfig(child).foreignKeys.map((fk) => {
      const { columns, foreignColumns, foreignTable } = fk.reference();
      if (columns.length !== 1) throw new Error(`${fk.getName()}: one column per foreign key`);
      return {
        child,
        column: columns[0]!.name,
        parent: foreignTable,
        parentColumn: foreignColumns[0]!.name,
        onDelete: (fk.onDelete ?? 'no action') as OnDelete,
        keyed: true,
      };
    }),
  );
}

export const REFERENCES: readonly Reference[] = [...foreignKeys(), ...UNKEYED];

/**
 * Deletes the rows of `table` matching `where`, and everything they own: the rows of
 * unkeyed references below them (through cascading foreign keys) first, then the rows, whose
 * cascading foreign keys take the rest. Runs in the caller's transaction; returns how many
 * rows of `table` it deleted. A non-cascading reference still holding a row fails with
 * PostgreSQL's foreign_key_violation: the callers check their business guards first.
 */
export async function deleteOwned(tx: Db, table: PgTable, where: SQL): Promise<number> {
  await deleteUnkeyedBelow(tx, table, where, 0);
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`with d as (delete from ${table} where (${where}) returning 1) select count(*)::int as n from d`,
  );
  return row!.n;
}

async function deleteUnkeyedBelow(tx: Db, table: PgTable, where: SQL, depth: number): Promise<void> {
  if (depth > TABLES.length)
    throw new Error(`a cycle of cascading references through ${getTableName(table)}`);
  for (const ref of REFERENCES) {
    if (ref.parent !== table || ref.onDelete !== 'cascade') continue;
    const rows = sql`${sql.identifier(ref.column)} in (select ${sql.identifier(ref.parentColumn)} from ${table} where (${where}))`;
    if (ref.keyed) await deleteUnkeyedBelow(tx, ref.child, rows, depth + 1);
    else await tx.execute(sql`delete from ${ref.child} where ${rows}`);
  }
}
