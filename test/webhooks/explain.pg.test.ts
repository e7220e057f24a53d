import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { eventLog } from '../../src/events/event-log.js';
import { createEventFeed } from '../../src/events/repository.js';
import { createDeliveriesRepository } from '../../src/webhooks/deliveries-repository.js';
import {
  type Captured,
  createExplainHarness,
  type ExplainHarness,
  expectIndexed,
} from '../helpers/explain.js';

// The dispatcher's claim, the event log's insert and the lists, planned by PostgreSQL on a seeded
// and ANALYZEd database, reach their rows through indexes (no sequential scan), as in
// test/perf/explain.pg.test.ts. Most deliveries are settled, as in production.
const ROWS = 5_000;
const NOW = new Date('2026-04-28T10:00:00Z');

let h: ExplainHarness;
let pool: ExplainHarness['pool'];
let loggingDb: Db;
const partner = '00000000-0000-4000-8000-000000000002';
const endpoint = 'we_000000000000000000000002';
// Some of these operations send more than one statement: the first is the one planned.
const queryOf = (fn: () => Promise<unknown>) => h.queryOf(fn, false);
const plan = (query: Captured) => h.plan(query);

beforeAll(async () => {
  h = await createExplainHarness();
  ({ loggingDb, pool } = h);
  const pid = (g: string) => `('00000000-0000-4000-8000-' || lpad((${g})::text, 12, '0'))::uuid`;
  const eid = (g: string) => `('we_' || lpad((${g})::text, 24, '0'))`;
  const seed = `
    insert into partners (id, name, client_id, client_secret_hash, redirect_uris, scopes)
      select ${pid('g')}, 'P' || g, 'ci_' || g, 'scrypt$x', '{}', '{promotions:read}' from generate_series(0, 999) g;
    insert into webhook_endpoints (id, partner_id, url, event_types, status, secret)
      select ${eid('g')}, ${pid('g % 1000')}, 'https://example.com/' || g,
             '{enrollment.created,promotion.ended}', 'enabled', 'whsec_x'
      from generate_series(0, 1999) g;
    insert into events (id, partner_id, type, actor_type, data, dedup_key, occurred_at, created_at)
      select 'evt_' || g, ${pid('g % 1000')}, 'enrollment.created', 'partner', '{}', 'k' || g,
             $1::timestamptz - (g || ' seconds')::interval, $1::timestamptz - (g || ' seconds')::interval
      from generate_series(0, ${ROWS * 4 - 1}) g;
    insert into webhook_deliveries (id, event_id, endpoint_id, status, attempts, next_attempt_at, created_at, updated_at)
      select gen_random_uuid(), 'evt_' || g, ${eid('g % 2000')},
             case when g % 100 = 0 then 'pending' else 'succeeded' end, 1,
             $1::timestamptz - (g || ' seconds')::interval, $1::timestamptz, $1::timestamptz
      from generate_series(0, ${ROWS * 4 - 1}) g;
    insert into webhook_attempts (id, delivery_id, at, response_status, duration_ms)
      select gen_random_uuid(), id, created_at, 200, 5 from webhook_deliveries`;
  const client = await pool.connect();
  try {
    for (const statement of seed.split(';').filter((s) => s.trim() !== '')) {
      await client.query(statement, statement.includes('$1') ? [NOW] : []);
    }
    await client.query('analyze');
  } finally {
    client.release();
  }
});

afterAll(async () => {
  await h?.close();
});

describe('webhook queries use indexes on a seeded, analyzed PostgreSQL', () => {
  it("the dispatcher's claim: due pending deliveries through the partial index", async () => {
    const repository = createDeliveriesRepository(loggingDb);
    const query = await queryOf(() => repository.claim(NOW, 10, new Date(NOW.getTime() + 35_000)));
    expectIndexed(await plan(query), [], ['webhook_deliveries_due_idx', 'webhook_endpoints_pkey']);
  });

  it("the event log's insert finds the subscribed endpoints by partner", async () => {
    const query = await queryOf(() =>
      eventLog.append(loggingDb, {
        partnerId: partner,
        type: 'promotion.ended',
        data: {},
        at: NOW,
        actor: { type: 'admin', id: null },
      }),
    );
    expectIndexed(await plan(query), [], ['webhook_endpoints_partner_idx']);
  });

  it("an endpoint's deliveries and a partner's event feed", async () => {
    const repository = createDeliveriesRepository(loggingDb);
    const deliveries = await queryOf(() => repository.listDeliveries(endpoint, { limit: 25 }));
    expectIndexed(await plan(deliveries), [], ['webhook_deliveries_endpoint_idx']);
    const events = await queryOf(() => createEventFeed(loggingDb).listEvents(partner, { limit: 25 }, NOW));
    expectIndexed(await plan(events), [], ['events_partner_idx']);
  });
});
