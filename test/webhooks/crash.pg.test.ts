import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { ADMIN_TOKEN, bearer, createTestApp, type TestContext } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { freePort, type ServerProcess, sleep, startServer } from '../helpers/processes.js';
import { requestsFor } from '../helpers/requests.js';
import { type Receiver, startReceiver } from './receiver.js';

// At-least-once across crashes, with the real entry point on PostgreSQL: SIGKILL an instance
// while deliveries are in flight, restart it beside a second one, and every event arrives;
// the two share the work and no delivery is ever in flight twice at once.
const EVENTS = 40;
const dataDir = mkdtempSync(join(tmpdir(), 'promotions-webhooks-'));
let db: TestDatabase;
let ctx: TestContext;
let receiver: Receiver;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  ctx = await createTestApp({ database: db, now: null });
  receiver = await startReceiver();
});
afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  await receiver?.close();
  await ctx?.app.close();
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function server(): Promise<ServerProcess> {
  const s = startServer({
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    DATA_DIR: dataDir,
    DATABASE_URL: db.url!,
    ADMIN_TOKEN,
    SEED_DEMO: 'false',
    REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_POLL_INTERVAL_MS: '50',
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_RETRY_SCHEDULE_SECONDS: '1,1,1,1,1',
  });
  servers.push(s);
  await s.waitHealthy();
  return s;
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('crash safety', () => {
  it('SIGKILL with deliveries in flight, restart beside a second instance: every event delivered, none twice at once', async () => {
    const partner = await ctx.fixtures.partner();
    receiver.secret = (await ctx.fixtures.webhookEndpoint(partner.id, { url: receiver.newUrl() })).secret;
    receiver.delayMs = 200; // keeps deliveries in flight long enough to crash during them
    const promotionId = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: null });
    const requests = requestsFor(ctx, () => partner);
    for (let i = 0; i < EVENTS; i++) await requests.enrollNew(promotionId);
    const eventIds = (
      await queryRows<{ id: string }>(
        db.database.db,
        sql`select id from events where partner_id = ${partner.id} and type = 'enrollment.created'`,
      )
    ).map((r) => r.id);
    expect(eventIds).toHaveLength(EVENTS);

    const first = await server();
    await until('a delivery in flight', () => [...receiver.concurrent.values()].some((n) => n > 0));
    first.child.kill('SIGKILL');
    await first.exit;
    const deliveredBeforeCrash = new Set(receiver.received.map((r) => r.id)).size;
    expect(deliveredBeforeCrash).toBeLessThan(EVENTS);

    // Restart, and a second instance beside it.
    await Promise.all([server(), server()]);
    await until(
      'every event delivered',
      () => eventIds.every((id) => receiver.received.some((r) => r.id === id && r.answered === 200)),
      90_000,
    );
    await until('every delivery settled', async () => {
      const [row] = await queryRows<{ open: number }>(
        db.database.db,
        sql`select count(*)::int as open from webhook_deliveries where status <> 'succeeded'`,
      );
      return row!.open === 0;
    });
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(receiver.maxConcurrentPerId).toBe(1);
    // At least once: a delivery cut by the crash may arrive twice, never zero times.
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(EVENTS);
    const attempts = await queryRows<{ n: number }>(
      db.database.db,
      sql`select count(*)::int as n from webhook_attempts`,
    );
    expect(attempts[0]!.n).toBeGreaterThanOrEqual(EVENTS - deliveredBeforeCrash);
  }, 180_000);

  it('two instances share the work with no delivery in flight twice at once', async () => {
    const partner = await ctx.fixtures.partner();
    receiver.secret = (await ctx.fixtures.webhookEndpoint(partner.id, { url: receiver.newUrl() })).secret;
    receiver.delayMs = 50;
    const before = receiver.received.length;
    const promotionId = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: null });
    // The instances from the first test are running: enroll through both of them.
    const live = servers.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
    expect(live).toHaveLength(2);
    const ids: string[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const account = await ctx.fixtures.account();
      const user = await ctx.fixtures.userToken(partner.id, account.id);
      const res = await fetch(`${live[i % 2]!.url}/v2/promotions`, {
        method: 'POST',
        headers: { ...bearer(user), 'content-type': 'application/json' },
        body: JSON.stringify({ promotion_id: promotionId }),
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { enrollment_id: string }).enrollment_id);
    }
    await until('every event delivered', () => {
      const got = receiver.received.slice(before).filter((r) => r.payload.type === 'enrollment.created');
      return new Set(got.map((r) => r.id)).size === EVENTS;
    });
    const got = receiver.received.slice(before);
    expect(new Set(got.map((r) => r.payload.data.enrollment_id as string))).toEqual(new Set(ids));
    expect(receiver.maxConcurrentPerId).toBe(1);
    expect(got.every((r) => r.verified)).toBe(true);
    // Both instances logged attempts.
    // Both instances logged attempts, one line each, never with the secret or the payload.
    for (const s of live) {
      expect(s.output()).toContain('"msg":"webhook attempt"');
      expect(s.output()).not.toContain(receiver.secret!.slice('whsec_'.length));
      expect(s.output()).not.toContain(ids[0]!.split(':')[1]);
    }
  }, 120_000);
});
