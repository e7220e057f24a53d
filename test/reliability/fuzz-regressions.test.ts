// What test/reliability/fuzz.test.ts and the bounds of openapi/ found, one regression test each
// (CONTRACT §4.1, §4.3): a value past a documented bound is a 400 naming it, and no answer
// outgrows its own documented bounds however long the request that caused it.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, useTestApp } from '../helpers/app.js';
import { JSON_HEADERS } from '../helpers/requests.js';

const ctx = useTestApp();
let userToken: string;
let promotionId: string;

beforeAll(async () => {
  const partner = await ctx.fixtures.partner();
  const account = await ctx.fixtures.account();
  userToken = await ctx.fixtures.userToken(partner.id, account.id);
  promotionId = await ctx.fixtures.promotion(partner.id);
});

const TOO_LONG_UUID = `${'0'.repeat(36)}0`;

describe('a value past its documented bound answers 400 naming it', () => {
  it.each([
    ['GET', `/admin/v1/operators/${TOO_LONG_UUID}`, 'operator_id'],
    [
      'DELETE',
      `/admin/v1/operators/00000000-0000-4000-8000-000000000000/api_keys/${'k'.repeat(201)}`,
      'key_id',
    ],
    ['POST', `/admin/v1/partners/${TOO_LONG_UUID}/rotate_secret`, 'partner_id'],
    ['GET', `/admin/v1/partners/${TOO_LONG_UUID}/webhook_endpoints`, 'partner_id'],
    ['GET', `/admin/v1/promotions/${'p'.repeat(65)}`, 'promotion_id'],
  ] as const)('%s %s (an id longer than its contract allows) → 400 on %s', async (method, url, parameter) => {
    const res = await ctx.app.inject({ method, url, headers: bearer(ADMIN_TOKEN) });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ code: 'invalid_request', source: { parameter } });
  });

  it('a user_access_token longer than 500 characters → 400 on /user_access_token', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: JSON_HEADERS,
      payload: JSON.stringify({ promotion_id: promotionId, user_access_token: 't'.repeat(501) }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({
      code: 'invalid_request',
      source: { pointer: '/user_access_token' },
    });
  });

  it('a date-time longer than 40 characters → 400 on /starts_at, though RFC 3339 allows any fraction', async () => {
    const res = await ctx.admin({
      method: 'PATCH',
      url: `/admin/v1/promotions/${promotionId}`,
      headers: JSON_HEADERS,
      payload: JSON.stringify({ starts_at: `2026-05-01T00:00:00.${'1'.repeat(30)}Z` }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({
      code: 'invalid_request',
      source: { pointer: '/starts_at' },
    });
  });

  it('more than 10 scopes for a partner → 400 on /scopes', async () => {
    const res = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/partners',
      headers: JSON_HEADERS,
      payload: JSON.stringify({
        name: 'Many scopes',
        redirect_uris: ['https://example.com/cb'],
        scopes: Array.from({ length: 11 }, () => 'promotions:read'),
      }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ code: 'invalid_request', source: { pointer: '/scopes' } });
    expect((await ctx.admin({ method: 'GET', url: '/admin/v1/partners' })).json().data).toHaveLength(1);
  });
});

describe('an invalid instant next to a valid one is a 400, not a 500 (fuzz seed 3)', () => {
  // zod ran the window refinement (ends_at after starts_at) on the raw " " string.
  it('POST /admin/v1/promotions with starts_at " " and a valid ends_at → 400 on /starts_at', async () => {
    const partner = await ctx.fixtures.partner();
    const res = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/promotions',
      headers: JSON_HEADERS,
      payload: JSON.stringify({
        id: 'window_fuzz',
        partner_id: partner.id,
        name: 'Window',
        starts_at: ' ',
        ends_at: '1970-01-01T00:00:00Z',
      }),
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors[0]).toMatchObject({
      code: 'invalid_request',
      source: { pointer: '/starts_at' },
    });
    expect((await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/window_fuzz' })).statusCode).toBe(
      404,
    );
  });

  it('POST /admin/v1/bootstrap with the same promotion → 400 naming promotions[0].starts_at', async () => {
    const res = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/bootstrap',
      headers: JSON_HEADERS,
      payload: JSON.stringify({
        document: {
          promotions: [
            {
              id: 'window_fuzz',
              partner: 'acme',
              name: 'W',
              starts_at: ' ',
              ends_at: '1970-01-01T00:00:00Z',
            },
          ],
        },
      }),
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors.map((e: { detail: string }) => e.detail)).toContain(
      'promotions[0].starts_at: must be an RFC 3339 date-time',
    );
  });
});

describe('no answer outgrows its documented bounds', () => {
  it('a 404 for a very long unknown path keeps its detail within 2000 characters', async () => {
    const path = `/v2/${Array.from({ length: 8 }, () => 'a'.repeat(400)).join('/')}`;
    const res = await ctx.app.inject({ method: 'GET', url: path, headers: bearer(userToken) });
    expect(res.statusCode).toBe(404);
    const { detail } = res.json().errors[0];
    expect(detail).toHaveLength(2000);
    expect(detail.startsWith(`No route matches GET /v2/${'a'.repeat(400)}/`)).toBe(true);
    expect(detail.endsWith('…')).toBe(true);
  });

  it('a bootstrap document with 150 problems answers the first 100 of them', async () => {
    const res = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/bootstrap',
      headers: JSON_HEADERS,
      payload: JSON.stringify({ document: { partners: Array.from({ length: 150 }, () => 1) } }),
    });
    expect(res.statusCode).toBe(400);
    const { errors } = res.json();
    expect(errors).toHaveLength(100);
    expect(errors[0]).toMatchObject({ code: 'invalid_request', source: { pointer: '/document/partners/0' } });
    expect(errors[99].source).toEqual({ pointer: '/document/partners/99' });
  });

  it('a repeated OAuth parameter with a 2000-character name is named by its first 40 characters', async () => {
    const name = 'n'.repeat(2000);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `${name}=1&${name}=2`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      error_description: `The ${'n'.repeat(40)} parameter is repeated.`,
    });
  });
});

describe('no CORS (CONTRACT §4.1)', () => {
  it('a preflight is 404 and no answer carries Access-Control-* headers, whatever the Origin', async () => {
    const origin = { origin: 'https://evil.example' };
    const preflight = await ctx.app.inject({
      method: 'OPTIONS',
      url: '/v2/promotions',
      headers: { ...origin, 'access-control-request-method': 'POST' },
    });
    const read = await ctx.app.inject({
      method: 'GET',
      url: '/v2/promotions/x',
      headers: { ...origin, ...bearer(userToken) },
    });
    const admin = await ctx.admin({ method: 'GET', url: '/admin/v1/partners', headers: origin });
    expect([preflight.statusCode, read.statusCode, admin.statusCode]).toEqual([404, 404, 200]);
    for (const res of [preflight, read, admin]) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });
});
