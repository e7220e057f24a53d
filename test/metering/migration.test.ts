// Migration 0006 (issue 25): the usage ledger moves from task_usage to the partitioned
// usage_ledger, and the idempotency keys of the usage calls to usage_idempotency_keys. A
// database at 0005 with task_usage rows is migrated; every row lands in the ledger (in the
// partition of its month), every key still answers its first call, counting nothing again.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { MIGRATIONS_FOLDER, migrateDatabase, queryRows } from '../../src/db/client.js';
import { ADMIN_TOKEN } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const BEFORE = '0005_event_log';
const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
  entries: Array<{ tag: string }>;
};

/** The migrations folder as it was up to `tag`: its files and a journal that ends there. */
function foldersUpTo(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'promotions-migrations-'));
  mkdirSync(join(dir, 'meta'));
  const entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === tag) + 1);
  for (const e of entries) copyFileSync(join(MIGRATIONS_FOLDER, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return dir;
}

const PARTNER = '00000000-0000-4000-8000-00000000000a';
const ACCOUNT = '00000000-0000-4000-8000-00000000000b';
const ENROLLMENT = '00000000-0000-4000-8000-0000000000e1';
const ROWS = [
  // id, cycle start, requested, accepted, key, occurred, created
  [
    '00000000-0000-4000-8000-000000000101',
    '2026-03-01T10:00:00Z',
    4,
    4,
    'batch-march',
    '2026-03-05T00:00:00Z',
    '2026-03-05T00:00:01Z',
  ],
  [
    '00000000-0000-4000-8000-000000000102',
    '2026-04-01T10:00:00Z',
    12,
    10,
    'batch-april',
    '2026-04-02T00:00:00Z',
    '2026-04-02T00:00:01Z',
  ],
  [
    '00000000-0000-4000-8000-000000000103',
    '2026-04-01T10:00:00Z',
    3,
    0,
    null,
    '2026-04-03T00:00:00Z',
    '2026-04-03T00:00:01Z',
  ],
] as const;

let folder: string;
let db: TestDatabase;
beforeAll(async () => {
  folder = foldersUpTo(BEFORE);
  db = await createTestDatabase({ migrationsFolder: folder });
  const run = (q: ReturnType<typeof sql>) => db.database.db.execute(q);
  await run(sql`insert into partners (id, name, client_id, client_secret_hash, redirect_uris, scopes)
                values (${PARTNER}, 'P', 'ci_migration6', 'scrypt$x', '{}', '{promotions:read,promotions:write}')`);
  await run(sql`insert into accounts (id, email, password_hash) values (${ACCOUNT}, 'u@example.com', 'x')`);
  await run(sql`insert into promotions (id, partner_id, name, duration_days, task_limit_per_month)
                values ('promo', ${PARTNER}, 'Promo', null, 10)`);
  await run(sql`insert into enrollments (id, promotion_id, account_id, partner_id, enrolled_at, expires_at, is_current)
                values (${ENROLLMENT}, 'promo', ${ACCOUNT}, ${PARTNER}, '2026-03-01T10:00:00Z', null, true)`);
  for (const [id, cycle, requested, accepted, key, occurred, created] of ROWS) {
    await run(sql`insert into task_usage (id, enrollment_id, cycle_start, tasks_requested, tasks_accepted,
                                          idempotency_key, occurred_at, created_at)
                  values (${id}, ${ENROLLMENT}, ${cycle}::timestamptz, ${requested}, ${accepted}, ${key},
                          ${occurred}::timestamptz, ${created}::timestamptz)`);
  }
  await run(sql`insert into usage_counters (enrollment_id, cycle_start, used) values
                (${ENROLLMENT}, '2026-03-01T10:00:00Z', 4), (${ENROLLMENT}, '2026-04-01T10:00:00Z', 10)`);
  // Now the migration under test, and everything after it.
  await migrateDatabase(db.database, db.url);
});

afterAll(async () => {
  await db?.drop();
  rmSync(folder, { recursive: true, force: true });
});

describe('migration 0006: the partitioned usage ledger', () => {
  it('copies every task_usage row into usage_ledger, in its month, and every key into usage_idempotency_keys', async () => {
    const ledger = await queryRows(
      db.database.db,
      sql`select id::text, tableoid::regclass::text as part, tasks_requested, tasks_accepted, idempotency_key,
                 event_id, to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as recorded_at
          from usage_ledger order by id`,
    );
    expect(ledger).toEqual(
      ROWS.map(([id, , requested, accepted, key, , created]) => ({
        id,
        part: `usage_ledger_y2026m0${created.slice(6, 7)}`,
        tasks_requested: requested,
        tasks_accepted: accepted,
        idempotency_key: key,
        event_id: null,
        recorded_at: created,
      })),
    );
    const keys = await queryRows(
      db.database.db,
      sql`select enrollment_id::text, key, tasks_requested, tasks_accepted from usage_idempotency_keys order by key`,
    );
    expect(keys).toEqual([
      { enrollment_id: ENROLLMENT, key: 'batch-april', tasks_requested: 12, tasks_accepted: 10 },
      { enrollment_id: ENROLLMENT, key: 'batch-march', tasks_requested: 4, tasks_accepted: 4 },
    ]);
  });

  it('answers a usage call repeated with an old key as the first one, counting it once', async () => {
    const app = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      database: db.database,
      clock: new ManualClock('2026-04-10T00:00:00Z'),
      adminToken: ADMIN_TOKEN,
    });
    try {
      const usage = (body: unknown) =>
        app.inject({
          method: 'POST',
          url: `/admin/v1/enrollments/promo:${ENROLLMENT}/usage`,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
      const repeated = await usage({ tasks: 12, idempotency_key: 'batch-april' });
      expect(repeated.statusCode).toBe(200);
      expect(repeated.json()).toEqual({
        accepted: 10,
        rejected: 2,
        tasks_used_this_month: 10,
        task_limit_per_month: 10,
      });
      // A new key is counted (and finds the cycle full, as the old rows left it).
      const fresh = await usage({ tasks: 1, idempotency_key: 'after-migration' });
      expect(fresh.json()).toEqual({
        accepted: 0,
        rejected: 1,
        tasks_used_this_month: 10,
        task_limit_per_month: 10,
      });
      const [counted] = await queryRows<{ rows: number; used: number }>(
        db.database.db,
        sql`select (select count(*)::int from usage_ledger where idempotency_key = 'batch-april') as rows,
                   (select used from usage_counters where enrollment_id = ${ENROLLMENT}
                      and cycle_start = '2026-04-01T10:00:00Z') as used`,
      );
      expect(counted).toEqual({ rows: 1, used: 10 });
    } finally {
      await app.close();
    }
  });
});
