import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { PROJECT_ROOT } from '../paths.js';
import * as schema from './schema.js';

/** One query interface for both drivers; a transaction is also a `Db`. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Database {
  readonly kind: 'pg' | 'pglite';
  readonly db: Db;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  poolStats(): PoolStats | null;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = join(PROJECT_ROOT, 'migrations');
// Any constant works; it only has to be the same for every instance of this server.
const MIGRATION_LOCK_KEY = 7_241_501;

export interface PgOptions {
  url: string;
  poolMax?: number;
  connectionTimeoutMillis?: number;
  statementTimeoutMillis?: number;
  onPoolError?: (err: Error) => void;
}

export async function openPostgres(options: PgOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    // Bounded waits so an outage or an exhausted pool becomes a 503, not a hang.
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMillis ?? 10_000,
  });
  // A backend dying while idle emits on the pool; one dying while a client is checked out
  // (between two statements of a transaction) emits on that client. Without listeners
  // either would crash the process; the failing query itself still rejects, becoming a 503.
  pool.on('error', (err) => options.onPoolError?.(err));
  pool.on('connect', (client) => client.on('error', (err) => options.onPoolError?.(err)));
  const db = drizzleNodePg(pool, { schema }) as unknown as Db;
  return {
    kind: 'pg',
    db,
    async ping() {
      await pool.query('select 1');
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}

export async function openPglite(dataDir: string | null): Promise<Database> {
  let client: PGlite;
  if (dataDir) {
    const dir = join(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    client = new PGlite(dir);
  } else {
    client = new PGlite();
  }
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    async ping() {
      await client.query('select 1');
    },
    poolStats: () => null,
    close: () => client.close(),
  };
}

/** Applies the committed migrations; on PostgreSQL under an advisory lock so instances can start together. */
export async function migrateDatabase(database: Database, pgUrl?: string): Promise<void> {
  if (database.kind === 'pglite') {
    // biome-ignore lint/suspicious/noExplicitAny: the PGlite migrator wants its own driver type
    await migratePglite(database.db as any, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migrateNodePg(drizzleNodePg(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

/** Raw SQL rows, the same shape on both drivers. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
