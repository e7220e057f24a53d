// The harness of the EXPLAIN tests: a database whose repositories' own queries are recorded,
// and their plans read back from PostgreSQL, so a test asserts the plan of exactly the SQL
// that runs.
import type { Logger } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface Captured {
  sql: string;
  params: unknown[];
}

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Conflict Arbiter Indexes'?: string[];
  Plans?: PlanNode[];
}

export const INDEX_SCANS = ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'];

/** Every node of a plan, depth first. */
export const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

/** Asserts that no node of the plan reads a table sequentially. */
export function expectNoSeqScan(root: PlanNode): PlanNode[] {
  const all = nodes(root);
  const seq = all.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
  expect(seq, JSON.stringify(root, null, 1)).toEqual([]);
  return all;
}

/**
 * Asserts no sequential scan anywhere, that each of `tables` is read through one of its
 * indexes, and that each of `indexes` is used (by name).
 */
export function expectIndexed(root: PlanNode, tables: string[], indexes: string[] = []): void {
  const all = expectNoSeqScan(root);
  const scans = all.filter((n) => INDEX_SCANS.includes(n['Node Type']));
  for (const table of tables) {
    // A Bitmap Index Scan names only the index; its Bitmap Heap Scan parent names the table.
    const indexed = scans.some(
      (n) => n['Relation Name'] === table || n['Index Name']?.startsWith(`${table}_`),
    );
    expect(indexed, `${table} not read through an index: ${JSON.stringify(root, null, 1)}`).toBe(true);
  }
  const used = scans.map((n) => n['Index Name']);
  for (const index of indexes) expect(used, JSON.stringify(root, null, 1)).toContain(index);
}

export interface ExplainHarness {
  testDb: TestDatabase;
  pool: pg.Pool;
  /** A Db that runs the repositories' own queries and records their SQL and parameters. */
  loggingDb: Db;
  /** Runs `fn` through the repositories and returns the first query it sent (`exactlyOne`: asserts it was the only one). */
  queryOf(fn: () => Promise<unknown>, exactlyOne?: boolean): Promise<Captured>;
  /** The plan of a captured query, inside a transaction rolled back (EXPLAIN runs nothing, but be sure). */
  plan(query: Captured): Promise<PlanNode>;
  close(): Promise<void>;
}

/** A fresh PostgreSQL database (the pg project's server) with the recording Db over it. */
export async function createExplainHarness(): Promise<ExplainHarness> {
  const testDb = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: testDb.url, max: 2 });
  let captured: Captured[] = [];
  const logger: Logger = { logQuery: (sql, params) => captured.push({ sql, params }) };
  const loggingDb = drizzle(pool, { schema, logger }) as unknown as Db;
  return {
    testDb,
    pool,
    loggingDb,
    async queryOf(fn, exactlyOne = true) {
      captured = [];
      await fn();
      if (exactlyOne) expect(captured).toHaveLength(1);
      else expect(captured.length).toBeGreaterThanOrEqual(1);
      return captured[0]!;
    },
    async plan(query) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
          `explain (format json) ${query.sql}`,
          query.params,
        );
        return rows[0]!['QUERY PLAN'][0]!.Plan;
      } finally {
        await client.query('rollback');
        client.release();
      }
    },
    async close() {
      await pool.end();
      await testDb.drop();
    },
  };
}
