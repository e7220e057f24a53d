import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountsRepository } from '../../src/auth/accounts-repository.js';
import { createPartnersRepository } from '../../src/auth/partners-repository.js';
import { createTokenRepository } from '../../src/auth/token-repository.js';
import type { Db } from '../../src/db/client.js';
import { createEnrollmentExpiry } from '../../src/enrollments/expiry-repository.js';
import { createEnrollmentsRepository } from '../../src/enrollments/repository.js';
import { findTokenViews } from '../../src/enrollments/token-view-batch.js';
import {
  type Captured,
  createExplainHarness,
  type ExplainHarness,
  expectIndexed,
  nodes,
} from '../helpers/explain.js';

// Every hot query, planned by PostgreSQL on a seeded and ANALYZEd database, must reach its
// rows through an index. The planner is left free (no enable_seqscan = off): with a few
// thousand rows a sequential scan would win if no usable index existed.
const ROWS = 5_000;
const NOW = new Date('2026-04-28T10:00:00Z');
const ENROLLED_AT = new Date('2026-04-01T00:00:00Z');

let h: ExplainHarness;
let loggingDb: Db;
let pool: ExplainHarness['pool'];
let ids: { partner: string; account: string; enrollment: string; token: string; clientId: string };
const queryOf = (fn: () => Promise<unknown>) => h.queryOf(fn);
const plan = (query: Captured) => h.plan(query);

beforeAll(async () => {
  h = await createExplainHarness();
  ({ loggingDb, pool } = h);

  // Thousands of rows in every table a hot query touches, then fresh statistics.
  const seed = `
    insert into partners (id, name, client_id, client_secret_hash, redirect_uris, scopes)
      select md5('p' || g)::uuid, 'P' || g, 'ci_' || g, 'scrypt$x', '{}', '{promotions:read}'
      from generate_series(0, ${ROWS - 1}) g;
    insert into promotions (id, partner_id, name, duration_days, task_limit_per_month)
      select 'promo_' || g, md5('p' || (g % 10))::uuid, 'Promo ' || g, 90, 100 from generate_series(0, ${ROWS - 1}) g;
    insert into test_clocks (id, partner_id, frozen_time)
      select 'clock_' || g, md5('p' || (g % 10))::uuid, $1::timestamptz from generate_series(0, ${ROWS - 1}) g;
    insert into accounts (id, email, password_hash)
      select md5('a' || g)::uuid, 'a' || g || '@example.com', 'scrypt$x' from generate_series(0, ${ROWS - 1}) g;
    insert into enrollments (id, promotion_id, account_id, partner_id, enrolled_at, expires_at)
      select md5('e' || g)::uuid, 'promo_' || (g % 10), md5('a' || g)::uuid, md5('p' || (g % 10))::uuid,
             $1::timestamptz, $1::timestamptz + interval '90 days'
      from generate_series(0, ${ROWS - 1}) g;
    insert into usage_counters (enrollment_id, cycle_start, used)
      select md5('e' || g)::uuid, $1::timestamptz - (k || ' months')::interval, k
      from generate_series(0, ${ROWS - 1}) g, generate_series(0, 2) k;
    -- One row in the default partition, one in the current month's: no partition is empty.
    insert into usage_ledger (id, enrollment_id, cycle_start, tasks_requested, tasks_accepted, idempotency_key, occurred_at, recorded_at)
      select gen_random_uuid(), md5('e' || g)::uuid, $1::timestamptz, 1, 1, 'k' || k, $1::timestamptz,
             case k when 0 then $1::timestamptz else now() end
      from generate_series(0, ${ROWS - 1}) g, generate_series(0, 1) k;
    insert into usage_events (id, account_id, tasks, occurred_at, sponsored, unsponsored, allocations, received_at)
      select 'evt-' || g, md5('a' || g)::uuid, 1, $1::timestamptz, 1, 0, '[]', $1::timestamptz
      from generate_series(0, ${ROWS - 1}) g;
    insert into usage_idempotency_keys (enrollment_id, key, tasks_requested, tasks_accepted)
      select md5('e' || g)::uuid, 'k' || k, 1, 1
      from generate_series(0, ${ROWS - 1}) g, generate_series(0, 1) k;
    insert into access_tokens (id, secret_hash, kind, partner_id, account_id, scopes, expires_at)
      select 't' || g, 'h', 'user', md5('p' || (g % 10))::uuid, md5('a' || g)::uuid, '{promotions:read}',
             $1::timestamptz + interval '1 hour'
      from generate_series(0, ${ROWS - 1}) g;
    insert into webhook_endpoints (id, partner_id, url, event_types, secret)
      select 'we_' || g, md5('p' || g)::uuid, 'https://example.com/hook', '{enrollment.created}', 'whsec_x'
      from generate_series(0, ${ROWS - 1}) g;
    update enrollments set test_clock_id = 'clock_' || (get_byte(decode(md5(id::text), 'hex'), 0) * 10)
      where get_byte(decode(md5(id::text), 'hex'), 1) < 3;
    update access_tokens set test_clock_id = 'clock_' || length(id) where id like 't1%';`;
  const client = await pool.connect();
  try {
    // Multi-statement strings cannot take parameters: run them one by one.
    for (const statement of seed.split(';').filter((s) => s.trim() !== '')) {
      await client.query(statement, statement.includes('$1') ? [ENROLLED_AT] : []);
    }
    await client.query('analyze');
    const { rows } = await client.query<{ id: string }>(
      `select md5('e' || 42)::uuid as id union all select md5('a' || 42)::uuid union all select md5('p' || 2)::uuid`,
    );
    ids = {
      enrollment: rows[0]!.id,
      account: rows[1]!.id,
      partner: rows[2]!.id,
      token: 't42',
      clientId: 'ci_42',
    };
  } finally {
    client.release();
  }
});

afterAll(async () => {
  await h?.close();
});

describe('hot queries use indexes on a seeded, analyzed PostgreSQL', () => {
  it('GET in one round trip (enrollment_find_with_token): the token row and the enrollment view it may see', async () => {
    const enrollments = createEnrollmentsRepository(loggingDb);
    const query = await queryOf(() =>
      enrollments.findTokenWithView(ids.token, { id: ids.enrollment, promotionId: 'promo_2' }, NOW),
    );
    expectIndexed(await plan(query), [
      'access_tokens',
      'partners',
      'enrollments',
      'promotions',
      'usage_counters',
    ]);
  });

  it('GET coalesced: many token-and-view reads over arrays, each through the same indexes (enrollment_find_many_with_token)', async () => {
    const reads = Array.from({ length: 64 }, (_, i) => ({
      tokenId: ids.token,
      key: { id: i % 2 ? ids.enrollment : randomUUID(), promotionId: 'promo_2' },
      now: NOW,
    }));
    const query = await queryOf(() => findTokenViews(loggingDb, reads));
    expectIndexed(await plan(query), [
      'access_tokens',
      'partners',
      'enrollments',
      'promotions',
      'usage_counters',
    ]);
  });

  it('bearer verification: access token by id (access_token_find_by_id)', async () => {
    const query = await queryOf(() => createTokenRepository(loggingDb).findAccessToken(ids.token));
    expectIndexed(await plan(query), ['access_tokens', 'partners']);
  });

  it('client_credentials: partner by client_id (partner_find_by_client_id)', async () => {
    const query = await queryOf(() => createPartnersRepository(loggingDb).findByClientId(ids.clientId));
    expectIndexed(await plan(query), ['partners']);
  });

  it('POST enrollment, one statement (enrollment_insert_guarded): the promotion by id, the seat and the retiring update by index', async () => {
    const enrollments = createEnrollmentsRepository(loggingDb);
    const query = await queryOf(() =>
      enrollments.enroll({
        id: randomUUID(),
        promotionId: 'promo_3',
        partnerId: ids.partner,
        accountId: ids.account,
        now: NOW,
        wallNow: NOW,
        enrolledAt: NOW,
        cycleEnd: new Date('2026-05-28T10:00:00Z'),
        eventId: 'evt_explain',
        testClockId: null,
      }),
    );
    const root = await plan(query);
    expectIndexed(root, ['promotions', 'enrollments']);
    // The seat, the retiring update, the enrollment, its one event (issue 20: the audit trail
    // and the webhook event are one row of the event log) and its deliveries.
    expect(nodes(root).filter((n) => n['Node Type'] === 'ModifyTable')).toHaveLength(5);
  });

  it('DELETE enrollment, one statement (enrollment_soft_delete): the soft delete by key and its event', async () => {
    const enrollments = createEnrollmentsRepository(loggingDb);
    const query = await queryOf(() =>
      enrollments.unenroll(
        { id: randomUUID(), promotionId: 'promo_2' },
        { partnerId: ids.partner, accountId: ids.account },
        NOW,
        'evt_explain_delete',
      ),
    );
    expectIndexed(await plan(query), ['enrollments']);
  });

  it("a test clock's advance: its own enrollments due, through the partial clock index", async () => {
    const expiry = createEnrollmentExpiry(loggingDb);
    const query = await queryOf(() =>
      expiry.markExpired(new Date('2026-08-01T00:00:00Z'), 1_000, loggingDb, {
        testClockId: 'clock_20',
      }),
    );
    const root = await plan(query);
    expectIndexed(root, ['enrollments']);
    expect(nodes(root).some((n) => n['Index Name'] === 'enrollments_test_clock_idx')).toBe(true);
  });

  it('account by email (case-insensitive, sign-in)', async () => {
    const query = await queryOf(() => createAccountsRepository(loggingDb).findByEmail('A42@example.com'));
    expectIndexed(await plan(query), ['accounts']);
  });

  // The usage ledger has no repository on this branch yet; these are the lookups recording
  // usage needs (counter of a cycle, idempotency key of a ledger entry), held to the same rule.
  it('usage counter of one cycle', async () => {
    const root = await plan({
      sql: 'select used from usage_counters where enrollment_id = $1 and cycle_start = $2',
      params: [ids.enrollment, ENROLLED_AT],
    });
    expectIndexed(root, ['usage_counters']);
  });

  it('usage call by idempotency key', async () => {
    const root = await plan({
      sql: 'select tasks_requested, tasks_accepted from usage_idempotency_keys where enrollment_id = $1 and key = $2',
      params: [ids.enrollment, 'k1'],
    });
    expectIndexed(root, ['usage_idempotency_keys']);
  });

  it("an enrollment's ledger, newest first (the console's page)", async () => {
    const root = await plan({
      sql: 'select id from usage_ledger where enrollment_id = $1 order by recorded_at desc, id desc limit 50',
      params: [ids.enrollment],
    });
    expectIndexed(root, ['usage_ledger']);
  });

  it('recorded usage events by id (CONTRACT §12 dedup)', async () => {
    const root = await plan({
      sql: 'select id, account_id, tasks from usage_events where id = any($1::text[])',
      params: [['e1', 'e2']],
    });
    expectIndexed(root, ['usage_events']);
  });

  it('accounts by external id (CONTRACT §12)', async () => {
    const root = await plan({
      sql: 'select id from accounts where external_id = any($1::text[])',
      params: [['x1', 'x2']],
    });
    expectIndexed(root, ['accounts']);
  });
});
