import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, migrateDatabase, openPglite, openPostgres } from '../../src/db/client.js';

export type Backend = 'pglite' | 'pg';
export const backend: Backend = process.env.TEST_DB === 'pg' ? 'pg' : 'pglite';
/** false in the CI leg behind PgBouncer's transaction pooling, as an operator would set it there. */
export const PREPARED_STATEMENTS = process.env.DATABASE_PREPARED_STATEMENTS !== 'false';

export interface TestDatabase {
  database: Database;
  backend: Backend;
  /** The PostgreSQL URL of this test's own database (pg backend only). */
  url: string | undefined;
  drop(): Promise<void>;
}

/** The data directory PGlite starts from: migrated, or (for an older schema) before any migration. */
function pgliteImage(migrated: boolean): Blob | undefined {
  // Written once per run by test/helpers/global-setup.ts; without it (another config), initdb.
  const images = inject('pgliteImages');
  return images && new Blob([readFileSync(migrated ? images.migrated : images.empty)]);
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or a new database on
 * DATABASE_URL's server. Both start as a copy of the run's migrated one (global-setup.ts),
 * and migrateDatabase then finds nothing left to apply.
 */
export async function createTestDatabase(
  options: {
    poolMax?: number /** Only these migrations (a folder with a journal), e.g. an older schema. */;
    migrationsFolder?: string;
  } = {},
): Promise<TestDatabase> {
  const migrated = options.migrationsFolder === undefined;
  if (backend === 'pglite') {
    const database = await openPglite(null, pgliteImage(migrated));
    await migrateDatabase(database, undefined, options.migrationsFolder);
    return { database, backend, url: undefined, drop: () => database.close() };
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DB=pg needs DATABASE_URL');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const template = migrated ? inject('pgTemplate') : null;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres({
    url: url.toString(),
    poolMax: options.poolMax ?? 10,
    preparedStatements: PREPARED_STATEMENTS,
  });
  await migrateDatabase(database, url.toString(), options.migrationsFolder);
  return {
    database,
    backend,
    url: url.toString(),
    async drop() {
      await database.close().catch(() => {});
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
