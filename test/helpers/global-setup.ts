// Runs once per `vitest run`, before any test file (vitest.config.ts, globalSetup). A fresh
// database used to cost every test file initdb and the migrations: seconds of CPU each, most of
// `npm test`'s time. Here it is paid once, and createTestDatabase (test/helpers/database.ts)
// starts each file from the result:
// - PGlite: the data directory of one migrated in-memory PGlite, and of one before any
//   migration (for the tests of an older schema), written to temporary files that each file
//   loads (`loadDataDir`) instead of running initdb;
// - PostgreSQL (with DATABASE_URL): one migrated database that each file's database is created
//   from (`create database … template`).
// Each file still runs migrateDatabase on its copy, which finds nothing to apply (and, behind
// PgBouncer, installs the statement functions as before).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { MIGRATIONS_FOLDER } from '../../src/db/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Files holding PGlite data directories (dumpDataDir): before and after the migrations. */
    pgliteImages: { empty: string; migrated: string };
    /** The migrated database on DATABASE_URL's server that each test database copies. */
    pgTemplate: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'promotions-test-images-'));
  const images = { empty: join(dir, 'empty.tar'), migrated: join(dir, 'migrated.tar') };
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const client = new PGlite();
  await client.waitReady;
  const write = async (path: string) =>
    writeFileSync(path, Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer()));
  await write(images.empty);
  // What migrateDatabase runs on PGlite; each file's migrateDatabase then checks the journal.
  await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  await write(images.migrated);
  await client.close();
  project.provide('pgliteImages', images);

  const template = process.env.DATABASE_URL ? await createPgTemplate(process.env.DATABASE_URL) : null;
  project.provide('pgTemplate', template?.name ?? null);

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    await template?.drop();
  };
}

async function createPgTemplate(serverUrl: string) {
  const { migrateDatabase, openPostgres } = await import('../../src/db/client.js');
  const name = `test_template_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // migrateDatabase works through a client of its own, which it ends; the pool never connects.
  const database = await openPostgres({ url: url.toString(), poolMax: 1 });
  try {
    await migrateDatabase(database, url.toString());
  } finally {
    await database.close();
  }
  // PostgreSQL copies a database only while no session is open on it, and a pooler in front
  // (CI's PgBouncer leg) keeps the migration's server connection open after the client left.
  await admin(
    `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`,
  );
  return { name, drop: () => admin(`drop database if exists ${name} with (force)`) };
}
