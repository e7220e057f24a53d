import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { freePort } from '../helpers/processes.js';
import { requestsFor } from '../helpers/requests.js';
import { type Receiver, startReceiver } from './receiver.js';

const PACKAGE_VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

const ctx = useTestApp({ env: { WEBHOOK_RETRY_SCHEDULE_SECONDS: '5,60' } });

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

const dispatch = () => ctx.app.webhookDispatcher.runOnce();

/** A partner with an app token, an endpoint on the receiver and a promotion. */
async function setup(
  options: { eventTypes?: string[]; taskLimit?: number; url?: string; durationDays?: number } = {},
) {
  const partner = await ctx.fixtures.partner();
  const app = await ctx.fixtures.appToken(partner.id);
  const endpoint = await ctx.fixtures.webhookEndpoint(partner.id, {
    url: options.url ?? receiver.newUrl(),
    ...(options.eventTypes ? { event_types: options.eventTypes } : {}),
  });
  const promotionId = await ctx.fixtures.promotion(partner.id, {
    taskLimitPerMonth: options.taskLimit ?? 5,
    durationDays: options.durationDays ?? 90,
  });
  return { partner, app, endpoint, promotionId };
}

/** A new account of `partner` enrolled in `promotionId` (asserts the 201). */
async function enroll(partner: PartnerFixture, promotionId: string) {
  const requests = requestsFor(ctx, () => partner);
  const { accountId, token: user } = await requests.user();
  const res = await requests.enroll(user, promotionId);
  expect(res.statusCode).toBe(201);
  return { enrollmentId: res.json().enrollment_id as string, user, account: { id: accountId } };
}

async function events(app: string, query = '') {
  const res = await ctx.app.inject({ method: 'GET', url: `/v2/events${query}`, headers: bearer(app) });
  expect(res.statusCode).toBe(200);
  return res.json() as {
    data: Array<{ id: string; type: string; timestamp: string; data: Record<string, unknown> }>;
    next_cursor: string | null;
  };
}

async function deliveries(app: string, endpointId: string, query = '') {
  const res = await ctx.app.inject({
    method: 'GET',
    url: `/v2/webhook_endpoints/${endpointId}/deliveries${query}`,
    headers: bearer(app),
  });
  expect(res.statusCode).toBe(200);
  return res.json() as {
    data: Array<{
      id: string;
      event_id: string;
      type: string;
      status: string;
      attempts: Array<{
        at: string;
        response_status: number | null;
        error: string | null;
        duration_ms: number;
      }>;
      next_attempt_at: string | null;
    }>;
    next_cursor: string | null;
  };
}

const receivedFor = (eventIds: string[]) => receiver.received.filter((r) => eventIds.includes(r.id));

describe('webhook endpoints API', () => {
  it('creates an endpoint with a whsec_ secret shown once, defaults to every event type', async () => {
    const partner = await ctx.fixtures.partner();
    const app = await ctx.fixtures.appToken(partner.id);
    const url = receiver.newUrl();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v2/webhook_endpoints',
      headers: bearer(app),
      payload: { url, description: 'CRM sync' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toEqual({
      id: expect.stringMatching(/^we_[0-9a-f]{24}$/),
      url,
      event_types: [
        'enrollment.created',
        'enrollment.unenrolled',
        'enrollment.expired',
        'usage.threshold_reached',
        'usage.limit_reached',
        'promotion.ended',
      ],
      description: 'CRM sync',
      status: 'enabled',
      disabled_reason: null,
      created_at: '2026-04-28T10:00:00Z',
      updated_at: '2026-04-28T10:00:00Z',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    expect(Buffer.from(body.secret.slice(6), 'base64')).toHaveLength(32);
    expect(res.headers.location).toBe(`/v2/webhook_endpoints/${body.id}`);

    const read = await ctx.app.inject({
      method: 'GET',
      url: `/v2/webhook_endpoints/${body.id}`,
      headers: bearer(app),
    });
    expect(read.statusCode).toBe(200);
    expect(read.json()).not.toHaveProperty('secret');
    expect(read.json()).toEqual({ ...body, secret: undefined });
  });

  it('refuses an unknown event type with 400 and writes nothing', async () => {
    const partner = await ctx.fixtures.partner();
    const app = await ctx.fixtures.appToken(partner.id);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v2/webhook_endpoints',
      headers: bearer(app),
      payload: { url: receiver.newUrl(), event_types: ['enrollment.created', 'enrollment.teleported'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ status: '400', code: 'invalid_request' });
    const list = await ctx.app.inject({ method: 'GET', url: '/v2/webhook_endpoints', headers: bearer(app) });
    expect(list.json()).toEqual({ data: [], next_cursor: null });
  });

  it('lists with limit and an opaque cursor, updates, deletes; another partner gets 404', async () => {
    const partner = await ctx.fixtures.partner();
    const app = await ctx.fixtures.appToken(partner.id);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await ctx.fixtures.webhookEndpoint(partner.id, { url: receiver.newUrl() })).id);
    }
    ids.sort();
    const first = await ctx.app.inject({
      method: 'GET',
      url: '/v2/webhook_endpoints?limit=2',
      headers: bearer(app),
    });
    expect(first.json().data.map((e: { id: string }) => e.id)).toEqual(ids.slice(0, 2));
    expect(first.json().next_cursor).toEqual(expect.any(String));
    const second = await ctx.app.inject({
      method: 'GET',
      url: `/v2/webhook_endpoints?limit=2&cursor=${first.json().next_cursor}`,
      headers: bearer(app),
    });
    expect(second.json().data.map((e: { id: string }) => e.id)).toEqual(ids.slice(2));
    expect(second.json().next_cursor).toBeNull();
    const badCursor = await ctx.app.inject({
      method: 'GET',
      url: '/v2/webhook_endpoints?cursor=nonsense',
      headers: bearer(app),
    });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().errors[0]).toMatchObject({
      code: 'invalid_request',
      source: { parameter: 'cursor' },
    });

    const patched = await ctx.app.inject({
      method: 'PATCH',
      url: `/v2/webhook_endpoints/${ids[0]}`,
      headers: bearer(app),
      payload: { event_types: ['promotion.ended'], description: 'only ends', status: 'disabled' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      event_types: ['promotion.ended'],
      description: 'only ends',
      status: 'disabled',
      disabled_reason: 'manual',
    });

    const other = await ctx.fixtures.partner();
    const otherApp = await ctx.fixtures.appToken(other.id);
    for (const [method, url] of [
      ['GET', `/v2/webhook_endpoints/${ids[0]}`],
      ['PATCH', `/v2/webhook_endpoints/${ids[0]}`],
      ['DELETE', `/v2/webhook_endpoints/${ids[0]}`],
      ['POST', `/v2/webhook_endpoints/${ids[0]}/rotate_secret`],
      ['GET', `/v2/webhook_endpoints/${ids[0]}/deliveries`],
    ] as const) {
      const res = await ctx.app.inject({
        method,
        url,
        headers: bearer(otherApp),
        ...(method === 'PATCH' ? { payload: { description: 'mine now' } } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().errors[0]).toEqual({
        status: '404',
        code: 'webhook_endpoint_not_found',
        title: 'Webhook Endpoint Not Found',
        detail: 'The requested webhook endpoint was not found.',
      });
    }

    const deleted = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/webhook_endpoints/${ids[0]}`,
      headers: bearer(app),
    });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    const gone = await ctx.app.inject({
      method: 'GET',
      url: `/v2/webhook_endpoints/${ids[0]}`,
      headers: bearer(app),
    });
    expect(gone.statusCode).toBe(404);
  });

  it('needs an app token with promotions:write', async () => {
    const partner = await ctx.fixtures.partner();
    const account = await ctx.fixtures.account();
    const user = await ctx.fixtures.userToken(partner.id, account.id);
    const readOnly = await ctx.fixtures.appToken(partner.id, ['promotions:read']);
    for (const token of [user, readOnly]) {
      const res = await ctx.app.inject({
        method: 'GET',
        url: '/v2/webhook_endpoints',
        headers: bearer(token),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().errors[0].code).toBe('permission_denied');
    }
    const none = await ctx.app.inject({ method: 'GET', url: '/v2/events' });
    expect(none.statusCode).toBe(401);
  });
});

describe('events: once per cause, in the transaction of the change', () => {
  it('enrollment.created is delivered signed, with the enrollment as GET shows it; a 409 adds nothing', async () => {
    const { partner, app, endpoint, promotionId } = await setup();
    receiver.secret = endpoint.secret;
    const { enrollmentId, user, account } = await enroll(partner, promotionId);
    // The same account again: 409, rolled back, no event.
    const again = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: bearer(user),
      payload: { promotion_id: promotionId },
    });
    expect(again.statusCode).toBe(409);
    expect(account.id).toBeTruthy();

    const feed = await events(app);
    expect(feed.data).toHaveLength(1);
    const [event] = feed.data;
    const get = await ctx.app.inject({
      method: 'GET',
      url: `/v2/promotions/${enrollmentId}`,
      headers: bearer(user),
    });
    expect(event).toEqual({
      id: expect.stringMatching(/^evt_[A-Za-z0-9]{24}$/),
      type: 'enrollment.created',
      timestamp: '2026-04-28T10:00:00Z',
      data: get.json(),
    });

    await dispatch();
    const got = receivedFor([event!.id]);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ verified: true, answered: 200 });
    expect(got[0]!.payload).toEqual({
      type: 'enrollment.created',
      timestamp: '2026-04-28T10:00:00Z',
      data: get.json(),
    });
    expect(got[0]!.signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    // The server and its release (issue 28), as package.json and GET /healthz name it.
    expect(got[0]!.userAgent).toBe(`promotions-enrollment-server/${PACKAGE_VERSION}`);
    const log = await deliveries(app, endpoint.id);
    expect(log.data).toEqual([
      {
        id: expect.any(String),
        event_id: event!.id,
        type: 'enrollment.created',
        status: 'succeeded',
        attempts: [
          { at: '2026-04-28T10:00:00Z', response_status: 200, error: null, duration_ms: expect.any(Number) },
        ],
        next_attempt_at: null,
        created_at: '2026-04-28T10:00:00Z',
      },
    ]);
    // Nothing is due any more.
    expect(await dispatch()).toEqual([]);
  });

  it('enrollment.unenrolled once; a second DELETE (404) adds nothing', async () => {
    const { partner, app, promotionId } = await setup();
    const { enrollmentId } = await enroll(partner, promotionId);
    for (const status of [204, 404]) {
      const res = await ctx.app.inject({
        method: 'DELETE',
        url: `/v2/promotions/${enrollmentId}`,
        headers: bearer(app),
      });
      expect(res.statusCode).toBe(status);
    }
    const feed = await events(app, '?type=enrollment.unenrolled');
    expect(feed.data).toHaveLength(1);
    expect(feed.data[0]!.data).toMatchObject({ enrollment_id: enrollmentId, promotion_id: promotionId });
  });

  it('usage.threshold_reached at 80% and usage.limit_reached at the limit, once per cycle', async () => {
    const { partner, app, promotionId } = await setup({ taskLimit: 5 });
    const { enrollmentId } = await enroll(partner, promotionId);
    const usage = (tasks: number) =>
      ctx.admin({ method: 'POST', url: `/admin/v1/enrollments/${enrollmentId}/usage`, payload: { tasks } });
    expect((await usage(3)).statusCode).toBe(200);
    expect((await events(app, '?type=usage.threshold_reached')).data).toHaveLength(0);
    expect((await usage(1)).json()).toMatchObject({ accepted: 1, tasks_used_this_month: 4 });
    const threshold = (await events(app, '?type=usage.threshold_reached')).data;
    expect(threshold).toHaveLength(1);
    expect(threshold[0]!.data).toMatchObject({
      enrollment_id: enrollmentId,
      tasks_used_this_month: 4,
      task_limit_per_month: 5,
    });
    expect((await usage(3)).json()).toMatchObject({ accepted: 1, rejected: 2 });
    expect((await usage(2)).json()).toMatchObject({ accepted: 0, rejected: 2 });
    const limit = (await events(app, '?type=usage.limit_reached')).data;
    expect(limit).toHaveLength(1);
    expect(limit[0]!.data).toMatchObject({ tasks_used_this_month: 5 });
    expect((await events(app, '?type=usage.threshold_reached')).data).toHaveLength(1);

    // The next cycle counts afresh.
    ctx.clock.advance(31 * 24 * 3600 * 1000);
    try {
      expect((await usage(5)).json()).toMatchObject({ accepted: 5 });
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
    }
    const perCycle = (await events(app, '?type=usage.threshold_reached')).data;
    expect(perCycle.map((e) => e.data.billing_cycle_start)).toEqual([
      '2026-04-28T10:00:00Z',
      '2026-05-28T10:00:00Z',
    ]);
    expect((await events(app, '?type=usage.limit_reached')).data).toHaveLength(2);
  });

  it('enrollment.expired once, from the sweeper', async () => {
    const { partner, app, promotionId } = await setup({ durationDays: 30 });
    const { enrollmentId } = await enroll(partner, promotionId);
    const sweep = ctx.app.expirySweeper.sweepOnce;
    await sweep(new Date('2026-05-28T10:00:01Z'));
    await sweep(new Date('2026-05-28T10:00:02Z'));
    const expired = (await events(app, '?type=enrollment.expired')).data;
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({
      timestamp: '2026-05-28T10:00:01Z',
      data: { enrollment_id: enrollmentId, status: 'expired', expiration_date: '2026-05-27T23:59:59Z' },
    });
  });

  it('promotion.ended once when a promotion is ended, with the promotion as data', async () => {
    const { app, promotionId } = await setup();
    for (let i = 0; i < 2; i++) {
      const res = await ctx.admin({
        method: 'PATCH',
        url: `/admin/v1/promotions/${promotionId}`,
        payload: { status: 'ended' },
      });
      expect(res.statusCode).toBe(200);
    }
    const ended = (await events(app, '?type=promotion.ended')).data;
    expect(ended).toHaveLength(1);
    expect(ended[0]!.data).toMatchObject({ id: promotionId, status: 'ended' });
  });

  it('only endpoints subscribed to the type get a delivery; the feed pages oldest first', async () => {
    const { partner, app, endpoint, promotionId } = await setup({ eventTypes: ['promotion.ended'] });
    await enroll(partner, promotionId);
    await enroll(partner, promotionId);
    expect((await deliveries(app, endpoint.id)).data).toEqual([]);
    const page1 = await events(app, '?limit=1');
    expect(page1.data).toHaveLength(1);
    const page2 = await events(app, `?limit=1&cursor=${page1.next_cursor}`);
    expect(page2.data).toHaveLength(1);
    expect(page2.next_cursor).toBeNull();
    expect(page1.data[0]!.id).not.toBe(page2.data[0]!.id);
    const since = await events(app, '?since=2026-04-28T10:00:01Z');
    expect(since.data).toEqual([]);
  });

  it('pages deliveries newest first through an opaque cursor; a cursor it did not make is 400', async () => {
    const { partner, app, endpoint, promotionId } = await setup({ eventTypes: ['enrollment.created'] });
    for (let i = 0; i < 3; i++) await enroll(partner, promotionId);
    const all = await deliveries(app, endpoint.id);
    expect(all.data).toHaveLength(3);
    expect(all.next_cursor).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await deliveries(app, endpoint.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((d) => d.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((d) => d.id));

    for (const bad of ['nonsense', Buffer.from('{"t":"1","id":"not-a-uuid"}').toString('base64url')]) {
      const res = await ctx.app.inject({
        method: 'GET',
        url: `/v2/webhook_endpoints/${endpoint.id}/deliveries?cursor=${bad}`,
        headers: bearer(app),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        errors: [
          {
            status: '400',
            code: 'invalid_request',
            title: 'Invalid Request',
            detail: 'The cursor is invalid.',
            source: { parameter: 'cursor' },
          },
        ],
      });
    }
  });
});

describe('delivery, retries and failure', () => {
  it('500 then 200: retried after the (shortened) schedule with jitter, then succeeded', async () => {
    const { partner, app, endpoint, promotionId } = await setup();
    receiver.secret = endpoint.secret;
    await enroll(partner, promotionId);
    const [event] = (await events(app)).data;
    receiver.script(endpoint.url, 500);
    await dispatch();
    let log = await deliveries(app, endpoint.id);
    expect(log.data[0]).toMatchObject({
      status: 'pending',
      attempts: [{ response_status: 500, error: null }],
    });
    const next = Date.parse(log.data[0]!.next_attempt_at!);
    const at = Date.parse('2026-04-28T10:00:00Z');
    // 5 s ±10%, shown in whole seconds.
    expect(next - at).toBeGreaterThanOrEqual(4000);
    expect(next - at).toBeLessThanOrEqual(5500);
    expect(await dispatch()).toEqual([]); // not due yet
    ctx.clock.advance(5500);
    try {
      await dispatch();
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
    }
    log = await deliveries(app, endpoint.id, '?status=succeeded');
    expect(log.data[0]!.attempts.map((a) => a.response_status)).toEqual([500, 200]);
    expect(receivedFor([event!.id]).map((r) => [r.answered, r.verified])).toEqual([
      [500, true],
      [200, true],
    ]);
  });

  it('honours Retry-After on 429', async () => {
    const { partner, app, endpoint, promotionId } = await setup();
    await enroll(partner, promotionId);
    receiver.script(endpoint.url, { status: 429, headers: { 'retry-after': '120' } });
    await dispatch();
    const log = await deliveries(app, endpoint.id);
    expect(log.data[0]).toMatchObject({ status: 'pending', next_attempt_at: '2026-04-28T10:02:00Z' });
  });

  it('410 Gone disables the endpoint', async () => {
    const { partner, app, endpoint, promotionId } = await setup();
    await enroll(partner, promotionId);
    receiver.script(endpoint.url, 410);
    await dispatch();
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/v2/webhook_endpoints/${endpoint.id}`,
      headers: bearer(app),
    });
    expect(res.json()).toMatchObject({ status: 'disabled', disabled_reason: 'gone' });
    expect((await deliveries(app, endpoint.id)).data[0]).toMatchObject({
      status: 'failed',
      next_attempt_at: null,
    });
    // New events still queue for it, but nothing is sent while it is disabled.
    await enroll(partner, promotionId);
    expect(await dispatch()).toEqual([]);
  });

  it('receiver down for the whole schedule: failed, visible in deliveries; redeliver then succeeds', async () => {
    const deadPort = await freePort();
    const { partner, app, endpoint, promotionId } = await setup({ url: `http://127.0.0.1:${deadPort}/hook` });
    await enroll(partner, promotionId);
    const [event] = (await events(app)).data;
    try {
      for (let i = 0; i < 3; i++) {
        await dispatch();
        ctx.clock.advance(70_000);
      }
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
    }
    const failed = await deliveries(app, endpoint.id, '?status=failed');
    expect(failed.data).toHaveLength(1);
    expect(failed.data[0]!.attempts).toHaveLength(3);
    expect(
      failed.data[0]!.attempts.every((a) => a.response_status === null && a.error === 'connection refused'),
    ).toBe(true);
    expect((await deliveries(app, endpoint.id, '?status=pending')).data).toEqual([]);

    // The receiver is back (at a new URL); redeliver.
    receiver.secret = endpoint.secret;
    const patched = await ctx.app.inject({
      method: 'PATCH',
      url: `/v2/webhook_endpoints/${endpoint.id}`,
      headers: bearer(app),
      payload: { url: receiver.newUrl() },
    });
    expect(patched.statusCode).toBe(200);
    const redeliver = await ctx.app.inject({
      method: 'POST',
      url: `/v2/events/${event!.id}/redeliver`,
      headers: bearer(app),
    });
    expect(redeliver.statusCode).toBe(202);
    expect(redeliver.json()).toEqual({ event_id: event!.id, deliveries: 1 });
    await dispatch();
    expect(receivedFor([event!.id]).map((r) => r.verified)).toEqual([true]);
    expect((await deliveries(app, endpoint.id, '?status=succeeded')).data).toHaveLength(1);

    const other = await ctx.fixtures.partner();
    const otherApp = await ctx.fixtures.appToken(other.id);
    const notYours = await ctx.app.inject({
      method: 'POST',
      url: `/v2/events/${event!.id}/redeliver`,
      headers: bearer(otherApp),
    });
    expect(notYours.statusCode).toBe(404);
    expect(notYours.json().errors[0].code).toBe('event_not_found');
  });

  it('deleting an endpoint cancels its pending deliveries', async () => {
    const { partner, app, endpoint, promotionId } = await setup();
    await enroll(partner, promotionId);
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/webhook_endpoints/${endpoint.id}`,
      headers: bearer(app),
    });
    expect(del.statusCode).toBe(204);
    expect(await dispatch()).toEqual([]);
  });

  it('rotation: both secrets verify during the 24 h overlap, only the new one after', async () => {
    const { partner, app, endpoint, promotionId } = await setup();
    const rotated = await ctx.app.inject({
      method: 'POST',
      url: `/v2/webhook_endpoints/${endpoint.id}/rotate_secret`,
      headers: bearer(app),
    });
    expect(rotated.statusCode).toBe(200);
    const { secret } = rotated.json() as { secret: string };
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(endpoint.secret);

    const { Webhook } = await import('standardwebhooks');
    const verifies = (s: string, r: (typeof receiver.received)[number]) => {
      try {
        new Webhook(s).verify(r.body, {
          'webhook-id': r.id,
          'webhook-timestamp': r.timestamp,
          'webhook-signature': r.signature,
        });
        return true;
      } catch {
        return false;
      }
    };
    await enroll(partner, promotionId);
    await dispatch();
    const during = receiver.received.at(-1)!;
    expect(during.signature.split(' ')).toHaveLength(2);
    expect(verifies(secret, during)).toBe(true);
    expect(verifies(endpoint.secret, during)).toBe(true);

    ctx.clock.advance(24 * 3600 * 1000 + 1000);
    try {
      await enroll(partner, promotionId);
      await dispatch();
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
    }
    const after = receiver.received.at(-1)!;
    expect(after.id).not.toBe(during.id);
    expect(after.signature.split(' ')).toHaveLength(1);
    expect(verifies(secret, after)).toBe(true);
    expect(verifies(endpoint.secret, after)).toBe(false);
  });

  it('reports delivery outcomes and the pending backlog in /metrics', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^webhook_deliveries_total\{outcome="succeeded"\} [1-9]\d*$/m);
    expect(res.body).toMatch(/^webhook_deliveries_total\{outcome="retrying"\} [1-9]\d*$/m);
    expect(res.body).toMatch(/^webhook_deliveries_total\{outcome="failed"\} [1-9]\d*$/m);
    expect(res.body).toMatch(/^webhook_pending_deliveries \d+$/m);
    expect(res.body).toMatch(/^webhook_oldest_pending_delivery_age_seconds \d+(\.\d+)?$/m);
  });
});

describe('admin mirror', () => {
  it('does the same for any partner under /admin/v1/partners/{id}', async () => {
    const partner = await ctx.fixtures.partner();
    const created = await ctx.admin({
      method: 'POST',
      url: `/admin/v1/partners/${partner.id}/webhook_endpoints`,
      payload: { url: receiver.newUrl(), event_types: ['enrollment.created'] },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect(created.headers.location).toBe(`/admin/v1/partners/${partner.id}/webhook_endpoints/${id}`);
    const list = await ctx.admin({
      method: 'GET',
      url: `/admin/v1/partners/${partner.id}/webhook_endpoints`,
    });
    expect(list.json().data.map((e: { id: string }) => e.id)).toEqual([id]);
    const rotate = await ctx.admin({
      method: 'POST',
      url: `/admin/v1/partners/${partner.id}/webhook_endpoints/${id}/rotate_secret`,
    });
    expect(rotate.statusCode).toBe(200);
    const eventsRes = await ctx.admin({ method: 'GET', url: `/admin/v1/partners/${partner.id}/events` });
    expect(eventsRes.json()).toEqual({ data: [], next_cursor: null });
    const missing = await ctx.admin({
      method: 'GET',
      url: '/admin/v1/partners/00000000-0000-4000-8000-000000000000/webhook_endpoints',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().errors[0].code).toBe('partner_not_found');
    const noToken = await ctx.app.inject({
      method: 'GET',
      url: `/admin/v1/partners/${partner.id}/webhook_endpoints`,
    });
    expect(noToken.statusCode).toBe(401);
    const del = await ctx.admin({
      method: 'DELETE',
      url: `/admin/v1/partners/${partner.id}/webhook_endpoints/${id}`,
    });
    expect(del.statusCode).toBe(204);
  });
});
