// The typed admin client's metering helpers (CONTRACT §12): usage.ingest batching any number of
// events (results in the caller's order, pointers into the caller's array, bounded
// concurrency, a refused batch stops the rest), entitlements by either id, accounts.update.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createAdminClient,
  PromotionsApiError,
  type UsageEvent,
  type UsageEventResult,
} from '../../clients/typescript/src/index.js';
import { ADMIN_TOKEN, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { meteringFor } from '../metering/helpers.js';
import { envelope, fakeServer, listen } from './helpers.js';

describe('typed admin client: metering against the server', () => {
  const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
  let partner: PartnerFixture;
  const m = meteringFor(ctx, () => partner);
  beforeAll(async () => {
    partner = await ctx.fixtures.partner();
  });

  it('splits 2,345 events into batches, answers each in the caller’s order and points at the caller’s index', async () => {
    const admin = createAdminClient({ baseUrl: await listen(ctx.app), adminToken: ADMIN_TOKEN });
    const promotion = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 1000 });
    const a = await m.account([promotion]);
    const events: UsageEvent[] = Array.from({ length: 2345 }, (_, i) => ({
      id: `client-${i}`,
      external_account_id: a.externalId,
      tasks: i === 1500 ? 0 : 1,
    }));
    const answered: number[] = [];
    const results = await admin.usage.ingest(events, {
      batchSize: 700,
      concurrency: 3,
      onBatch: (batch, soFar) => answered.push(batch.length, soFar),
    });
    expect(results).toHaveLength(2345);
    expect(results.map((r) => r.id)).toEqual(events.map((e) => e.id));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 'recorded')).toHaveLength(2344);
    expect(results[1500]).toEqual({
      id: 'client-1500',
      status: 'rejected',
      sponsored: 0,
      unsponsored: 0,
      allocations: [],
      error: {
        code: 'invalid_event',
        title: 'Invalid Event',
        detail: 'tasks: Too small: expected number to be >=1',
        source: { pointer: '/events/1500/tasks' },
      },
    });
    const sponsored = results.reduce((sum, r) => sum + r.sponsored, 0);
    const unsponsored = results.reduce((sum, r) => sum + r.unsponsored, 0);
    expect([sponsored, unsponsored]).toEqual([1000, 1344]);
    expect(await m.usedNow(a.enrollments[0]!)).toBe(1000);
    // Four batches (700, 700, 700, 245), answered in whichever order, counted once each.
    const sizes = answered.filter((_, i) => i % 2 === 0).sort((x, y) => x - y);
    expect(sizes).toEqual([245, 700, 700, 700]);
    expect(answered.filter((_, i) => i % 2 === 1)).toEqual([
      expect.any(Number),
      expect.any(Number),
      expect.any(Number),
      2345,
    ]);

    // The same events again: every one duplicate with its first numbers, nothing counted again.
    const again = await admin.usage.ingest(events);
    expect(again.map((r) => r.status)).toEqual(
      results.map((r) => (r.status === 'recorded' ? 'duplicate' : 'rejected')),
    );
    expect(again.map((r) => [r.sponsored, r.unsponsored])).toEqual(
      results.map((r) => [r.sponsored, r.unsponsored]),
    );
    expect(await m.usedNow(a.enrollments[0]!)).toBe(1000);
    expect(await admin.usage.ingest([])).toEqual([]);
  });

  it('sends a batch again when its answer was lost on the network: counted once, answered duplicate', async () => {
    const promotion = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 5 });
    const a = await m.account([promotion]);
    let posts = 0;
    // The first POST reaches the server and is counted, then its answer is lost.
    const lossy = async (request: Request) => {
      const response = await fetch(request);
      if (request.method === 'POST' && posts++ === 0) {
        await response.body?.cancel();
        throw new TypeError('fetch failed');
      }
      return response;
    };
    const admin = createAdminClient({
      baseUrl: await listen(ctx.app),
      adminToken: ADMIN_TOKEN,
      fetch: lossy,
      baseDelayMs: 1,
    });
    const results = await admin.usage.ingest([
      { id: 'lost-1', account_id: a.accountId, tasks: 4 },
      { id: 'lost-2', account_id: a.accountId, tasks: 4 },
    ]);
    expect(posts).toBe(2);
    expect(results.map((r) => [r.id, r.status, r.sponsored, r.unsponsored])).toEqual([
      ['lost-1', 'duplicate', 4, 0],
      ['lost-2', 'duplicate', 1, 3],
    ]);
    expect(await m.usedNow(a.enrollments[0]!)).toBe(5);
  });

  it('answers entitlements by account id or external id, and sets and clears an external id', async () => {
    const admin = createAdminClient({ baseUrl: await listen(ctx.app), adminToken: ADMIN_TOKEN });
    const promotion = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 40 });
    const a = await m.account([promotion]);
    await admin.usage.ingest([{ id: 'client-ent', account_id: a.accountId, tasks: 15 }]);

    const expected = (await m.entitlements({ account_id: a.accountId })).json();
    expect(expected.sponsored_remaining).toBe(25);
    await expect(admin.entitlements({ accountId: a.accountId })).resolves.toEqual(expected);
    await expect(admin.entitlements({ externalAccountId: a.externalId })).resolves.toEqual(expected);
    const at = new Date('2026-04-28T10:00:00Z');
    await expect(admin.entitlements({ accountId: a.accountId }, at)).resolves.toEqual(expected);

    const changed = await admin.accounts.update(a.accountId, { external_id: 'client-renamed' });
    expect(changed).toMatchObject({ id: a.accountId, external_id: 'client-renamed' });
    await expect(admin.entitlements({ externalAccountId: 'client-renamed' })).resolves.toMatchObject({
      account_id: a.accountId,
      external_id: 'client-renamed',
    });
    await expect(admin.accounts.update(a.accountId, { external_id: null })).resolves.toMatchObject({
      external_id: null,
    });
    const gone = await admin.entitlements({ externalAccountId: 'client-renamed' }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(PromotionsApiError);
    expect(gone).toMatchObject({ status: 404, code: 'account_not_found' });
  });
});

describe('typed admin client: usage.ingest without a server', () => {
  const event = (i: number): UsageEvent => ({
    id: `e${i}`,
    account_id: '00000000-0000-4000-8000-000000000000',
    tasks: 1,
  });
  const recorded = (id: string): UsageEventResult => ({
    id,
    status: 'recorded',
    sponsored: 0,
    unsponsored: 1,
    allocations: [],
  });

  it('refuses a batch size outside 1 to 1,000 and a concurrency outside 1 to 8 before sending anything', async () => {
    const server = await fakeServer([{ status: 200, body: { data: [] } }]);
    try {
      const admin = createAdminClient({ baseUrl: server.url, adminToken: 'adk_x' });
      await expect(admin.usage.ingest([event(0)], { batchSize: 1001 })).rejects.toThrow(
        new RangeError('batchSize must be an integer from 1 to 1000, not 1001'),
      );
      await expect(admin.usage.ingest([event(0)], { batchSize: 0 })).rejects.toThrow(RangeError);
      await expect(admin.usage.ingest([event(0)], { concurrency: 9 })).rejects.toThrow(
        new RangeError('concurrency must be an integer from 1 to 8, not 9'),
      );
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('sends batches one after another by default and stops at the first refused batch', async () => {
    const server = await fakeServer([
      { status: 200, body: { data: [recorded('e0'), recorded('e1')] } },
      { status: 400, body: envelope(400, 'invalid_request', 'Invalid Request', 'events: bad') },
    ]);
    try {
      const admin = createAdminClient({ baseUrl: server.url, adminToken: 'adk_x', retries: 0 });
      const error = await admin.usage
        .ingest([0, 1, 2, 3, 4, 5].map(event), { batchSize: 2 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PromotionsApiError);
      expect(error).toMatchObject({ status: 400, code: 'invalid_request' });
      // The third batch was never sent.
      expect(
        server.requests.map((r) => [r.method, r.url, JSON.parse(r.body).events.map((e: UsageEvent) => e.id)]),
      ).toEqual([
        ['POST', '/admin/v1/usage_events', ['e0', 'e1']],
        ['POST', '/admin/v1/usage_events', ['e2', 'e3']],
      ]);
      expect(server.requests[0]!.headers.authorization).toBe('Bearer adk_x');
    } finally {
      await server.close();
    }
  });
});
