import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { createLogger } from '../../src/ops/logging.js';
import { createDeliveriesRepository } from '../../src/webhooks/deliveries-repository.js';
import { createDispatcher, type DispatcherOptions } from '../../src/webhooks/dispatcher.js';
import { bearer, useTestApp } from '../helpers/app.js';
import { type Receiver, startReceiver } from './receiver.js';

const ctx = useTestApp();
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

function dispatcher(options: Partial<DispatcherOptions> = {}) {
  return createDispatcher({
    deliveries: createDeliveriesRepository(ctx.db.database.db),
    clock: ctx.clock,
    timeoutMs: 5000,
    retryScheduleSeconds: [60, 60, 60],
    allowPrivate: true,
    pollIntervalMs: 10,
    ...options,
  });
}

/** Resolves once the receiver holds an attempt it has not answered yet (polls every 10 ms). */
function untilInFlight(): Promise<void> {
  return new Promise((resolve) => {
    const t = setInterval(() => {
      if ([...receiver.concurrent.values()].some((n) => n > 0)) {
        clearInterval(t);
        resolve();
      }
    }, 10);
  });
}

/** A partner with one endpoint on the receiver and `n` enrollments (one event each). */
async function scenario(n = 1) {
  const partner = await ctx.fixtures.partner();
  const app = await ctx.fixtures.appToken(partner.id);
  const endpoint = await ctx.fixtures.webhookEndpoint(partner.id, { url: receiver.newUrl() });
  const promotionId = await ctx.fixtures.promotion(partner.id);
  for (let i = 0; i < n; i++) {
    const account = await ctx.fixtures.account();
    const user = await ctx.fixtures.userToken(partner.id, account.id);
    await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: bearer(user),
      payload: { promotion_id: promotionId },
    });
  }
  const deliveries = async () =>
    (
      await ctx.app.inject({
        method: 'GET',
        url: `/v2/webhook_endpoints/${endpoint.id}/deliveries`,
        headers: bearer(app),
      })
    ).json().data as Array<{ status: string; attempts: unknown[]; next_attempt_at: string | null }>;
  const read = async () =>
    (
      await ctx.app.inject({
        method: 'GET',
        url: `/v2/webhook_endpoints/${endpoint.id}`,
        headers: bearer(app),
      })
    ).json();
  return { partner, app, endpoint, deliveries, read };
}

describe('dispatcher', () => {
  it('logs one line per attempt with ids and outcome, never the secret, URL or payload', async () => {
    const { endpoint } = await scenario();
    lines.length = 0;
    const d = dispatcher({ log: createLogger('info', sink) });
    const results = await d.runOnce();
    await d.stop();
    expect(results).toHaveLength(1);
    const attempts = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'webhook attempt');
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      event_type: 'enrollment.created',
      endpoint_id: endpoint.id,
      attempt: 1,
      response_status: 200,
      error: null,
      outcome: 'succeeded',
      duration_ms: expect.any(Number),
    });
    const text = lines.join('\n');
    expect(text).not.toContain(endpoint.secret.slice(6));
    expect(text).not.toContain(endpoint.url);
    expect(text).not.toContain('enrollment_date');
  });

  it('graceful stop lets an in-flight attempt finish', async () => {
    const { deliveries } = await scenario();
    receiver.delayMs = 300;
    try {
      const d = dispatcher({ graceMs: 5000 });
      const run = d.runOnce();
      await untilInFlight();
      await d.stop();
      await run;
    } finally {
      receiver.delayMs = 0;
    }
    expect((await deliveries())[0]).toMatchObject({ status: 'succeeded' });
  });

  it('graceful stop releases an attempt still in flight after the grace: due again at once, not counted', async () => {
    const { deliveries } = await scenario();
    receiver.delayMs = 1500;
    try {
      const d = dispatcher({ graceMs: 100 });
      d.start();
      await untilInFlight();
      await d.stop();
    } finally {
      receiver.delayMs = 0;
    }
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({
      status: 'pending',
      attempts: [],
      next_attempt_at: '2026-04-28T10:00:00Z',
    });
    // Another instance takes it at once.
    const other = dispatcher();
    expect((await other.runOnce()).map((r) => r.outcome)).toEqual(['succeeded']);
    await other.stop();
  });

  it('disables an endpoint that failed every attempt for 5 days', async () => {
    const { endpoint, read } = await scenario(2);
    receiver.script(endpoint.url, 500, 500);
    const d = dispatcher({ retryScheduleSeconds: [6 * 24 * 3600], random: () => 0.5 });
    try {
      await d.runOnce(); // both fail at 10:00: failing since then
      expect(await read()).toMatchObject({ status: 'enabled' });
      ctx.clock.advance(6 * 24 * 3600 * 1000 + 60_000);
      receiver.script(endpoint.url, 500, 500);
      await d.runOnce(); // fails again, 6 days later
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
      await d.stop();
    }
    expect(await read()).toMatchObject({ status: 'disabled', disabled_reason: 'failing' });
  });

  it('a success clears the failure record; re-enabling resumes pending deliveries at once', async () => {
    const { endpoint, app, deliveries } = await scenario();
    const disable = await ctx.app.inject({
      method: 'PATCH',
      url: `/v2/webhook_endpoints/${endpoint.id}`,
      headers: bearer(app),
      payload: { status: 'disabled' },
    });
    expect(disable.json()).toMatchObject({ status: 'disabled', disabled_reason: 'manual' });
    const d = dispatcher();
    expect(await d.runOnce()).toEqual([]);
    const enable = await ctx.app.inject({
      method: 'PATCH',
      url: `/v2/webhook_endpoints/${endpoint.id}`,
      headers: bearer(app),
      payload: { status: 'enabled' },
    });
    expect(enable.json()).toMatchObject({ status: 'enabled', disabled_reason: null });
    expect((await d.runOnce()).map((r) => r.outcome)).toEqual(['succeeded']);
    await d.stop();
    expect((await deliveries())[0]).toMatchObject({ status: 'succeeded' });
  });

  it('follows no redirect: a 302 is a failed attempt, retried later', async () => {
    const { endpoint, deliveries } = await scenario();
    receiver.script(endpoint.url, {
      status: 302,
      headers: { location: 'http://169.254.169.254/latest/meta-data' },
    });
    const d = dispatcher({ random: () => 0.5 });
    const results = await d.runOnce();
    await d.stop();
    expect(results.map((r) => [r.outcome, r.responseStatus])).toEqual([['retrying', 302]]);
    expect((await deliveries())[0]).toMatchObject({
      status: 'pending',
      next_attempt_at: '2026-04-28T10:01:00Z',
    });
  });

  it('an attempt without an answer within WEBHOOK_TIMEOUT_MS fails with a timeout', async () => {
    const { deliveries } = await scenario();
    receiver.delayMs = 1000;
    const d = dispatcher({ timeoutMs: 200 });
    try {
      const results = await d.runOnce();
      expect(results.map((r) => [r.outcome, r.error])).toEqual([
        ['retrying', 'timeout: no response within 200 ms'],
      ]);
    } finally {
      receiver.delayMs = 0;
      await d.stop();
    }
    expect((await deliveries())[0]!.attempts).toEqual([
      {
        at: '2026-04-28T10:00:00Z',
        response_status: null,
        error: 'timeout: no response within 200 ms',
        duration_ms: expect.any(Number),
      },
    ]);
  });

  it('prunes deliveries past 30 days with their attempts; the events stay, out of the feed', async () => {
    const { partner } = await scenario();
    const repository = createDeliveriesRepository(ctx.db.database.db);
    const count = async (table: 'events' | 'webhook_deliveries' | 'webhook_attempts') =>
      (
        await queryRows<{ n: number }>(
          ctx.db.database.db,
          sql`select count(*)::int as n from ${sql.identifier(table)}`,
        )
      )[0]!.n;
    const [events, deliveries] = [await count('events'), await count('webhook_deliveries')];
    expect(deliveries).toBeGreaterThan(0);
    expect(await count('webhook_attempts')).toBeGreaterThan(0);
    expect(await repository.prune(new Date('2026-05-28T09:59:59Z'))).toBe(0);
    expect(await repository.prune(new Date('2026-05-28T10:00:00Z'))).toBe(deliveries);
    expect([await count('webhook_deliveries'), await count('webhook_attempts')]).toEqual([0, 0]);
    // The audit trail keeps them; the partner's feed reaches back 30 days only.
    expect(await count('events')).toBe(events);
    ctx.clock.set('2026-05-28T10:00:00Z');
    const app = await ctx.fixtures.appToken(partner.id);
    const feed = await ctx.app.inject({ method: 'GET', url: '/v2/events', headers: bearer(app) });
    expect(feed.json()).toEqual({ data: [], next_cursor: null });
  });
});
