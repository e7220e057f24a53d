// Migration 0005 (issue 20): the audit trail and the webhook outbox become one event log. A
// database at 0004 with rows of both old tables is migrated; every webhook event keeps its id
// (the webhook-id its pending deliveries still carry), an audit row with a webhook event of the
// same cause joins it, one without stays as history, and the APIs read them as before.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { mintOpaque } from '../../src/auth/token-service.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { MIGRATIONS_FOLDER, migrateDatabase, queryRows } from '../../src/db/client.js';
import { ADMIN_TOKEN, bearer } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const BEFORE = '0004_operators';
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
const OLD = '00000000-0000-4000-8000-0000000000e1'; // enrolled before webhooks existed
const NEW = '00000000-0000-4000-8000-0000000000e2'; // enrolled with a webhook event
const token = mintOpaque('at');

let folder: string;
let db: TestDatabase;
beforeAll(async () => {
  folder = foldersUpTo(BEFORE);
  db = await createTestDatabase({ migrationsFolder: folder });
  const run = (q: ReturnType<typeof sql>) => db.database.db.execute(q);
  await run(sql`insert into partners (id, name, client_id, client_secret_hash, redirect_uris, scopes)
                values (${PARTNER}, 'P', 'ci_migration', 'scrypt$x', '{}', '{promotions:read,promotions:write}')`);
  await run(sql`insert into accounts (id, email, password_hash) values (${ACCOUNT}, 'm@example.com', 'x')`);
  await run(sql`insert into promotions (id, partner_id, name, duration_days, task_limit_per_month)
                values ('promo', ${PARTNER}, 'Promo', 90, 10)`);
  for (const [id, at, current] of [
    [OLD, '2026-03-01T10:00:00Z', false],
    [NEW, '2026-04-20T10:00:00Z', true],
  ] as const) {
    await run(sql`insert into enrollments (id, promotion_id, account_id, partner_id, enrolled_at, expires_at, is_current,
                                           unenrolled_at)
                  values (${id}, 'promo', ${ACCOUNT}, ${PARTNER}, ${at}::timestamptz,
                          ${at}::timestamptz + interval '90 days', ${current},
                          ${current ? null : '2026-03-02T10:00:00Z'}::timestamptz)`);
  }
  // The audit trail: OLD's from before webhooks (no webhook events), NEW's beside its webhook events.
  await run(sql`insert into enrollment_events (id, enrollment_id, type, actor_type, actor_id, data, created_at) values
    ('00000000-0000-4000-8000-000000000a01', ${OLD}, 'enrolled', 'partner', ${PARTNER}, '{}', '2026-03-01T10:00:00Z'),
    ('00000000-0000-4000-8000-000000000a02', ${OLD}, 'unenrolled', 'partner', ${PARTNER}, '{}', '2026-03-02T10:00:00Z'),
    ('00000000-0000-4000-8000-000000000a03', ${NEW}, 'enrolled', 'partner', ${PARTNER}, '{}', '2026-04-20T10:00:00Z'),
    ('00000000-0000-4000-8000-000000000a04', ${NEW}, 'usage_recorded', 'admin', null,
     '{"tasks": 12, "accepted": 10, "rejected": 2, "billing_cycle_start": "2026-04-20T10:00:00Z", "occurred_at": "2026-04-21T10:00:00Z"}',
     '2026-04-21T10:00:00Z'),
    ('00000000-0000-4000-8000-000000000a05', ${NEW}, 'limit_reached', 'admin', null,
     '{"task_limit_per_month": 10, "billing_cycle_start": "2026-04-20T10:00:00Z"}', '2026-04-21T10:00:00Z')`);
  const detail = (used: number) =>
    JSON.stringify({
      promotion_id: 'promo',
      enrollment_date: '2026-04-20T10:00:00Z',
      expiration_date: '2026-07-18T23:59:59Z',
      task_limit_per_month: 10,
      tasks_used_this_month: used,
      status: 'enrolled',
      enrollment_id: `promo:${NEW}`,
      billing_cycle_start: '2026-04-20T10:00:00Z',
      billing_cycle_end: '2026-05-20T10:00:00Z',
    });
  await run(sql`insert into webhook_events (id, partner_id, type, data, dedup_key, created_at) values
    ('evt_legacyCreated000000001', ${PARTNER}, 'enrollment.created', ${detail(0)}::jsonb, null, '2026-04-20T10:00:00Z'),
    ('evt_legacyLimit00000000001', ${PARTNER}, 'usage.limit_reached', ${detail(10)}::jsonb,
     ${`usage.limit_reached:${NEW}:2026-04-20T10:00:00Z`}, '2026-04-21T10:00:00Z')`);
  await run(sql`insert into webhook_endpoints (id, partner_id, url, event_types, status, secret)
                values ('we_migration', ${PARTNER}, 'https://example.com/h', '{usage.limit_reached}', 'enabled', 'whsec_x')`);
  await run(sql`insert into webhook_deliveries (id, event_id, endpoint_id, status, attempts, next_attempt_at, created_at, updated_at)
                values ('00000000-0000-4000-8000-000000000d01', 'evt_legacyLimit00000000001', 'we_migration', 'pending', 1,
                        '2026-04-21T10:05:00Z', '2026-04-21T10:00:00Z', '2026-04-21T10:00:00Z')`);
  await run(sql`insert into access_tokens (id, secret_hash, kind, partner_id, scopes, expires_at)
                values (${token.id}, ${token.secretHash}, 'app', ${PARTNER}, '{promotions:read,promotions:write}', '2030-01-01T00:00:00Z')`);
  // Now the migration under test, and everything after it.
  await migrateDatabase(db.database, db.url);
});

afterAll(async () => {
  await db?.drop();
  rmSync(folder, { recursive: true, force: true });
});

const rows = () =>
  queryRows<{
    id: string;
    type: string;
    enrollment_id: string | null;
    actor_type: string;
    actor_id: string | null;
  }>(
    db.database.db,
    sql`select id, type, enrollment_id, actor_type, actor_id from events order by occurred_at, id`,
  );

describe('migration 0005: one event log', () => {
  it('keeps every webhook event by its id, joins each audit row to it, and keeps the rest as history', async () => {
    expect(await rows()).toEqual([
      {
        id: 'evt_00000000000040008000000000000a01',
        type: 'legacy.enrolled',
        enrollment_id: OLD,
        actor_type: 'partner',
        actor_id: PARTNER,
      },
      {
        id: 'evt_00000000000040008000000000000a02',
        type: 'legacy.unenrolled',
        enrollment_id: OLD,
        actor_type: 'partner',
        actor_id: PARTNER,
      },
      {
        id: 'evt_legacyCreated000000001',
        type: 'enrollment.created',
        enrollment_id: NEW,
        actor_type: 'partner',
        actor_id: PARTNER,
      },
      {
        id: 'evt_00000000000040008000000000000a04',
        type: 'usage.recorded',
        enrollment_id: NEW,
        actor_type: 'admin',
        actor_id: null,
      },
      {
        id: 'evt_legacyLimit00000000001',
        type: 'usage.limit_reached',
        enrollment_id: NEW,
        actor_type: 'admin',
        actor_id: null,
      },
    ]);
    // The pending delivery still names its event: the same webhook-id goes out on its retry.
    const [delivery] = await queryRows<{ event_id: string }>(
      db.database.db,
      sql`select event_id from webhook_deliveries`,
    );
    expect(delivery).toEqual({ event_id: 'evt_legacyLimit00000000001' });
    const tables = await queryRows<{ t: string }>(
      db.database.db,
      sql`select table_name as t from information_schema.tables
          where table_name in ('enrollment_events', 'webhook_events', 'events') order by 1`,
    );
    expect(tables).toEqual([{ t: 'events' }]);
  });

  it('shows the same audit trails and feed through the APIs as before', async () => {
    const clock = new ManualClock('2026-04-25T10:00:00Z');
    const app = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      database: db.database,
      clock,
      adminToken: ADMIN_TOKEN,
    });
    try {
      const trail = async (id: string) =>
        (
          await app.inject({
            method: 'GET',
            url: `/admin/v1/enrollments/promo:${id}/events`,
            headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          })
        ).json().data as Array<{ type: string; data: unknown; created_at: string }>;
      expect((await trail(OLD)).map((e) => [e.type, e.data, e.created_at])).toEqual([
        ['enrolled', {}, '2026-03-01T10:00:00Z'],
        ['unenrolled', {}, '2026-03-02T10:00:00Z'],
      ]);
      expect((await trail(NEW)).map((e) => [e.type, e.data, e.created_at])).toEqual([
        ['enrolled', {}, '2026-04-20T10:00:00Z'],
        [
          'usage_recorded',
          {
            tasks: 12,
            accepted: 10,
            rejected: 2,
            billing_cycle_start: '2026-04-20T10:00:00Z',
            occurred_at: '2026-04-21T10:00:00Z',
          },
          '2026-04-21T10:00:00Z',
        ],
        [
          'limit_reached',
          { task_limit_per_month: 10, billing_cycle_start: '2026-04-20T10:00:00Z' },
          '2026-04-21T10:00:00Z',
        ],
      ]);
      // The partner's feed: the webhook events only (history and usage batches are not its).
      const feed = await app.inject({ method: 'GET', url: '/v2/events', headers: bearer(token.value) });
      expect(feed.statusCode).toBe(200);
      expect(feed.json().data.map((e: { id: string; type: string }) => [e.id, e.type])).toEqual([
        ['evt_legacyCreated000000001', 'enrollment.created'],
        ['evt_legacyLimit00000000001', 'usage.limit_reached'],
      ]);
    } finally {
      await app.close();
    }
  });
});
