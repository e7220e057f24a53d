import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type PartnerFixture, type TestContext, useTestApp } from '../helpers/app.js';

// Partner limit 3, IP limit 5: small enough to spend in a few requests. Every scenario uses
// its own client address (inject's remoteAddress), so the IP counters do not interfere.
const ctx = useTestApp({ env: { RATE_LIMIT_PER_HOUR: '3', RATE_LIMIT_IP_PER_HOUR: '5' } });
const MISSING = '/v2/promotions/nothing:00000000-0000-4000-8000-000000000000';

let partner: PartnerFixture;
let other: PartnerFixture;
let token: string;
let otherToken: string;
let ipCounter = 0;
const freshIp = () => `10.0.0.${++ipCounter}`;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
  other = await ctx.fixtures.partner();
  token = await ctx.fixtures.appToken(partner.id);
  otherToken = await ctx.fixtures.appToken(other.id);
});

const get = (remoteAddress: string, headers: Record<string, string> = {}, url = MISSING) =>
  ctx.app.inject({ method: 'GET', url, remoteAddress, headers });

const limits = (res: LightMyRequestResponse) => ({
  limit: res.headers['x-ratelimit-limit'],
  remaining: res.headers['x-ratelimit-remaining'],
});

function expectResetWithinTheHour(res: LightMyRequestResponse) {
  const reset = Number(res.headers['x-ratelimit-reset']);
  const now = Math.floor(Date.now() / 1000);
  // UTC epoch seconds, not seconds-until-reset.
  expect(reset).toBeGreaterThan(now);
  expect(reset).toBeLessThanOrEqual(now + 3601);
}

function expectRateLimited(res: LightMyRequestResponse, who: 'partner' | 'IP', limit: number) {
  expect(res.statusCode).toBe(429);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(3500);
  expect(retryAfter).toBeLessThanOrEqual(3600);
  expect(res.json()).toEqual({
    errors: [
      {
        status: '429',
        code: 'rate_limited',
        title: 'Too Many Requests',
        detail: `This ${who === 'partner' ? "partner's" : "client IP's"} limit of ${limit} requests per hour is spent. Retry after ${retryAfter} seconds.`,
      },
    ],
  });
}

/** A 429 of an endpoint OAuth clients call: RFC 6749's body, no-store, Retry-After (issue 21 item 7). */
function expectOAuthRateLimited(res: LightMyRequestResponse) {
  expect(res.statusCode).toBe(429);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers.pragma).toBe('no-cache');
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(3500);
  expect(retryAfter).toBeLessThanOrEqual(3600);
  expect(res.json()).toEqual({
    error: 'temporarily_unavailable',
    error_description: `This client IP's limit of 5 requests per hour is spent. Retry after ${retryAfter} seconds.`,
  });
}

describe('rate limit headers', () => {
  it('are on every /v2 response, 401 and unknown routes included, with the reset as an epoch', async () => {
    const ip = freshIp();
    const unauthenticated = await get(ip);
    expect(unauthenticated.statusCode).toBe(401);
    expect(limits(unauthenticated)).toEqual({ limit: '5', remaining: '4' });
    expectResetWithinTheHour(unauthenticated);

    const unknown = await get(ip, {}, '/v2/nowhere');
    expect(unknown.statusCode).toBe(404);
    expect(limits(unknown)).toEqual({ limit: '5', remaining: '3' });
    expect(unknown.headers['x-ratelimit-reset']).toBe(unauthenticated.headers['x-ratelimit-reset']);
  });

  it('show the tighter of the partner and IP counters', async () => {
    const p = await ctx.fixtures.partner();
    const t = await ctx.fixtures.appToken(p.id);
    const ip = freshIp();
    // IP 5 → 4 left, partner 3 → 2 left: the partner binds.
    const first = await get(ip, bearer(t));
    expect(first.statusCode).toBe(404);
    expect(limits(first)).toEqual({ limit: '3', remaining: '2' });
    expectResetWithinTheHour(first);
    // The same partner from a busier IP: IP 5 → 0 left, partner 3 → 1 left: the IP binds.
    const busy = freshIp();
    for (let i = 0; i < 4; i++) await get(busy);
    const second = await get(busy, bearer(t));
    expect(second.statusCode).toBe(404);
    expect(limits(second)).toEqual({ limit: '5', remaining: '0' });
  });

  it('are not on the operational endpoints, which are not limited', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/healthz', remoteAddress: freshIp() });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });
});

describe('the partner limit', () => {
  it('answers 429 rate_limited with Retry-After past RATE_LIMIT_PER_HOUR, whatever the IP', async () => {
    for (const remaining of ['2', '1', '0']) {
      const res = await get(freshIp(), bearer(token));
      expect(res.statusCode).toBe(404);
      expect(res.headers['x-ratelimit-remaining']).toBe(remaining);
    }
    const over = await get(freshIp(), bearer(token));
    expectRateLimited(over, 'partner', 3);
    expect(limits(over)).toEqual({ limit: '3', remaining: '0' });
    expectResetWithinTheHour(over);
    // Another partner keeps its own budget.
    const another = await get(freshIp(), bearer(otherToken));
    expect(another.statusCode).toBe(404);
    expect(limits(another)).toEqual({ limit: '3', remaining: '2' });
  });

  it('is not spent by 401 answers to forged tokens naming the partner', async () => {
    const p = await ctx.fixtures.partner();
    const t = await ctx.fixtures.appToken(p.id);
    const forged = `${t.slice(0, t.indexOf('.'))}.${'A'.repeat(43)}`;
    for (let i = 0; i < 4; i++) {
      const res = await get(freshIp(), bearer(forged));
      expect(res.statusCode).toBe(401);
    }
    const real = await get(freshIp(), bearer(t));
    expect(real.statusCode).toBe(404);
    expect(limits(real)).toEqual({ limit: '3', remaining: '2' });
  });

  it('is not spent by 403 answers (a token without the scope)', async () => {
    const p = await ctx.fixtures.partner();
    const readOnly = await ctx.fixtures.appToken(p.id, ['promotions:read']);
    const full = await ctx.fixtures.appToken(p.id);
    for (let i = 0; i < 4; i++) {
      const res = await ctx.app.inject({
        method: 'DELETE',
        url: MISSING,
        remoteAddress: freshIp(),
        headers: bearer(readOnly),
      });
      expect(res.statusCode).toBe(403);
    }
    const res = await get(freshIp(), bearer(full));
    expect(limits(res)).toEqual({ limit: '3', remaining: '2' });
  });
});

describe('the IP limit', () => {
  it('counts every request, authenticated or not, and answers 429 past RATE_LIMIT_IP_PER_HOUR', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) expect((await get(ip)).statusCode).toBe(401);
    const over = await get(ip);
    expectRateLimited(over, 'IP', 5);
    expect(limits(over)).toEqual({ limit: '5', remaining: '0' });
    // A valid token does not lift it, and the partner's budget is not touched.
    const p = await ctx.fixtures.partner();
    const t = await ctx.fixtures.appToken(p.id);
    expectRateLimited(await get(ip, bearer(t)), 'IP', 5);
    expect(limits(await get(freshIp(), bearer(t)))).toEqual({ limit: '3', remaining: '2' });
  });

  it('ignores X-Forwarded-For when TRUST_PROXY is false, so spoofing does not reset a budget', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      const res = await get(ip, { 'x-forwarded-for': `203.0.113.${i}` });
      expect(res.statusCode).toBe(401);
    }
    expect((await get(ip, { 'x-forwarded-for': '198.51.100.7' })).statusCode).toBe(429);
  });

  it('limits the token endpoint and the admin API per IP too', async () => {
    const ip = freshIp();
    const token = (secret: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/oauth/token',
        remoteAddress: ip,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=client_credentials&client_id=${partner.clientId}&client_secret=${secret}`,
      });
    for (let i = 0; i < 5; i++) expect((await token(`wrong${i}`)).statusCode).toBe(401);
    // Past the limit even the right secret gets 429: guessing stops here (as an RFC 6749 error, below).
    expectOAuthRateLimited(await token(partner.clientSecret));
    const admin = freshIp();
    for (let i = 0; i < 5; i++) {
      const res = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions', remoteAddress: admin });
      expect(res.statusCode).toBe(200);
    }
    expectRateLimited(
      await ctx.admin({ method: 'GET', url: '/admin/v1/promotions', remoteAddress: admin }),
      'IP',
      5,
    );
  });

  it('answers RFC 6749 errors, not the envelope, on /oauth/token, /oauth/revoke and /oauth/introspect', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const credentials = `client_id=${partner.clientId}&client_secret=${partner.clientSecret}`;
    const calls = [
      ['/oauth/token', `grant_type=client_credentials&${credentials}`],
      ['/oauth/revoke', `token=at_unknown.unknown&${credentials}`],
      ['/oauth/introspect', `token=at_unknown.unknown&${credentials}`],
    ] as const;
    for (const [url, payload] of calls) {
      const ip = freshIp();
      const call = () => ctx.app.inject({ method: 'POST', url, remoteAddress: ip, headers: form, payload });
      for (let i = 0; i < 5; i++) expect((await call()).statusCode, url).toBe(200);
      expectOAuthRateLimited(await call());
    }
  });

  it("keeps the envelope for the consent form's post, which a browser makes", async () => {
    const ip = freshIp();
    const post = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/oauth/authorize',
        remoteAddress: ip,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'decision=deny',
      });
    for (let i = 0; i < 5; i++) expect((await post()).statusCode).toBe(403);
    expectRateLimited(await post(), 'IP', 5);
  });

  it('counts rejections by kind in /metrics', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    const ip = /rate_limit_rejections_total\{kind="ip"\} (\d+)/.exec(res.body);
    const partnerKind = /rate_limit_rejections_total\{kind="partner"\} (\d+)/.exec(res.body);
    expect(Number(ip?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(partnerKind?.[1])).toBeGreaterThanOrEqual(1);
  });
});

describe('behind a trusted proxy (TRUST_PROXY=true)', () => {
  let proxied: TestContext;
  beforeAll(async () => {
    proxied = await createTestApp({ env: { TRUST_PROXY: 'true', RATE_LIMIT_IP_PER_HOUR: '2' } });
  });
  afterAll(async () => {
    await proxied.app.close();
    await proxied.db.drop();
  });

  it('counts the client named by X-Forwarded-For', async () => {
    const from = (client: string) =>
      proxied.app.inject({
        method: 'GET',
        url: MISSING,
        remoteAddress: '10.9.9.9',
        headers: { 'x-forwarded-for': client },
      });
    expect((await from('203.0.113.1')).statusCode).toBe(401);
    expect((await from('203.0.113.1')).statusCode).toBe(401);
    expect((await from('203.0.113.1')).statusCode).toBe(429);
    const other = await from('203.0.113.2');
    expect(other.statusCode).toBe(401);
    expect(limits(other)).toEqual({ limit: '2', remaining: '1' });
    expect(proxied.violations).toEqual([]);
  });
});
