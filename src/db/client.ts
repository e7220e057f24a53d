import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { PROJECT_ROOT } from '../paths.js';
import { PipelinedPool } from './pipeline.js';
import * as schema from './schema.js';
import {
  installStatementFunctions,
  type StatementFunctionMap,
  statementFunctions,
  unnamedStatements,
} from './statement-functions.js';

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
  /**
   * Behind a transaction pooler (PostgreSQL with preparedStatements false): the functions that
   * stand in for the read-only hot statements, filled by migrateDatabase.
   */
  readonly statementFunctions?: StatementFunctionMap;
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
  /** Opening a connection, and waiting for a free one when the pool is full (config DB_CONNECT_TIMEOUT_MS). */
  connectionTimeoutMillis?: number;
  /** PostgreSQL's own statement_timeout (DB_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMillis?: number;
  /**
   * The client's bound on one statement's answer (DB_QUERY_TIMEOUT_MS): past it the
   * connection is destroyed, so a database that stopped answering (a partition) fails the
   * statement instead of hanging it, and the connection never returns to the pool.
   */
  queryTimeoutMillis?: number;
  /**
   * false behind a transaction pooler (PgBouncer in transaction mode before 1.21): every
   * statement is sent unnamed, since a named one prepared in one transaction's server
   * connection does not exist in the next's; and no statement_timeout startup parameter, which
   * such poolers refuse (set it on the role instead). Default true.
   */
  preparedStatements?: boolean;
  /**
   * DB_PIPELINE: statements outside a transaction share PIPELINE_CONNECTIONS connections in
   * node-postgres' pipeline mode (src/db/pipeline.ts); transactions keep the pool. Not behind a
   * transaction pooler (preparedStatements false). Default false.
   */
  pipeline?: boolean;
  onPoolError?: (err: Error) => void;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
export const DEFAULT_QUERY_TIMEOUT_MS = 6_000;
/** How many pipelined connections DB_PIPELINE opens, besides the pool. */
export const PIPELINE_CONNECTIONS = 2;

type AnyQuery = (config: unknown, ...rest: unknown[]) => unknown;

/**
 * Every statement on `client` answers within `timeoutMs` or its connection is destroyed: the
 * statement (and any queued behind it) then fails with "Connection terminated", a 503, and the
 * pool drops the connection. pg's own query_timeout rejects the promise but leaves the
 * statement running on the connection, so the ROLLBACK queued behind it (and every later
 * user of that pooled connection) would hang until the network returned.
 */
function boundQueries(client: pg.Client, timeoutMs: number): void {
  const query = client.query.bind(client) as AnyQuery;
  const connection = (client as unknown as { connection: { stream: { destroy(): void } } }).connection;
  (client as { query: unknown }).query = function boundedQuery(config: unknown, ...rest: unknown[]) {
    // Streaming submittables (cursors) manage their own lifetime.
    if (typeof config === 'object' && config !== null && 'submit' in config) return query(config, ...rest);
    const timer = setTimeout(() => connection.stream.destroy(), timeoutMs);
    timer.unref();
    const last = rest[rest.length - 1];
    if (typeof last === 'function') {
      const callback = last as (...args: unknown[]) => void;
      return query(config, ...rest.slice(0, -1), (...args: unknown[]) => {
        clearTimeout(timer);
        callback(...args);
      });
    }
    const result = query(config, ...rest) as Promise<unknown>;
    return result.finally(() => clearTimeout(timer));
  };
}

export async function openPostgres(options: PgOptions): Promise<Database> {
  const pooled = options.preparedStatements === false;
  const functions: StatementFunctionMap = new Map();
  const statementTimeout = options.statementTimeoutMillis ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const queryTimeout = options.queryTimeoutMillis ?? DEFAULT_QUERY_TIMEOUT_MS;
  const connection: pg.ClientConfig = {
    connectionString: options.url,
    // CONTRACT §7: bounded waits so an outage or an exhausted pool becomes a 503, not a hang.
    // pg applies this one bound to opening a connection and to waiting for a free one.
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // A dead peer on an idle connection is noticed by the kernel instead of by the next request.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // A transaction whose client vanished (destroyed after a query timeout during a partition)
    // must not keep its row locks: PostgreSQL rolls it back once it has idled this long.
    ...(pooled
      ? {}
      : {
          statement_timeout: statementTimeout,
          idle_in_transaction_session_timeout: 2 * statementTimeout,
        }),
  };
  const pool = new pg.Pool({
    ...connection,
    max: options.poolMax ?? 10,
    idleTimeoutMillis: 30_000,
  });
  // A backend dying while idle emits on the pool; one dying while a client is checked out
  // (between two statements of a transaction) emits on that client. Without listeners
  // either would crash the process; the failing query itself still rejects, becoming a 503.
  pool.on('error', (err) => options.onPoolError?.(err));
  pool.on('connect', (client) => {
    client.on('error', (err) => options.onPoolError?.(err));
    if (pooled) unnamedStatements(client, functions);
    boundQueries(client, queryTimeout);
  });
  const pipelined =
    options.pipeline && !pooled
      ? new PipelinedPool(pool, connection, PIPELINE_CONNECTIONS, (client) => {
          client.on('error', (err) => options.onPoolError?.(err));
          boundQueries(client, queryTimeout);
        })
      : null;
  const db = drizzleNodePg((pipelined ?? pool) as pg.Pool, { schema }) as unknown as Db;
  return {
    kind: 'pg',
    db,
    ...(pooled ? { statementFunctions: functions } : {}),
    async ping() {
      await pool.query('select 1');
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await pipelined?.end();
      await pool.end();
    },
  };
}

/**
 * The embedded store. Its modules (PGlite, drizzle's PGlite driver) are loaded only here, so a
 * server on PostgreSQL never holds them (docs/PERFORMANCE.md, "Memory").
 *
 * `image`, for an in-memory store only: a data directory as `dumpDataDir()` wrote it, loaded
 * instead of running initdb. The tests start every file from one migrated image (test/helpers/
 * global-setup.ts): initdb is most of a fresh PGlite's start-up, and only the constructor
 * takes an image.
 */
export async function openPglite(dataDir: string | null, image?: Blob): Promise<Database> {
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  let client: PGlite;
  if (dataDir) {
    const dir = join(dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    client = new PGlite(dir);
  } else {
    client = new PGlite(image ? { loadDataDir: image } : {});
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

/**
 * Applies the committed migrations (drizzle-kit's files and journal table). On PostgreSQL in
 * ONE transaction holding a transaction-level advisory lock, so instances can start together
 * and it works through a transaction pooler too: a session-level lock could be taken on one
 * server connection and released on another.
 */
export async function migrateDatabase(
  database: Database,
  pgUrl?: string,
  migrationsFolder: string = MIGRATIONS_FOLDER,
): Promise<void> {
  if (database.kind === 'pglite') {
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    // biome-ignore lint/suspicious/noExplicitAny: the PGlite migrator wants its own driver type
    await migratePglite(database.db as any, { migrationsFolder });
    return;
  }
  const migrations = readMigrationFiles({ migrationsFolder });
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    // What drizzle's migrator keeps: applied migrations by the folder time of their journal entry.
    await client.query('create schema if not exists drizzle');
    await client.query(`create table if not exists drizzle.__drizzle_migrations (
      id serial primary key, hash text not null, created_at bigint)`);
    const { rows } = await client.query<{ created_at: string }>(
      'select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1',
    );
    const last = rows[0] ? Number(rows[0].created_at) : null;
    for (const migration of migrations) {
      if (last !== null && last >= migration.folderMillis) continue;
      for (const statement of migration.sql) await client.query(statement);
      await client.query('insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)', [
        migration.hash,
        migration.folderMillis,
      ]);
    }
    // Only on the schema this code was written for (not an older folder's, as migration tests use).
    if (database.statementFunctions && migrationsFolder === MIGRATIONS_FOLDER) {
      await installStatementFunctions(client, statementFunctions(), database.statementFunctions);
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

/** Raw SQL rows, the same shape on both drivers. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
