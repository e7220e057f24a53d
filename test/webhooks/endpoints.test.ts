// The webhook endpoints API (/v2/webhook_endpoints, CONTRACT §8) and its admin mirror under
// /admin/v1/partners/{id}: create, list, update, rotate, delete, and who may.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
