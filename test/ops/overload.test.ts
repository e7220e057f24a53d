import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.js';
import { mintOpaque } from '../../src/auth/token-service.js';
import { loadConfig } from '../../src/config.js';
import { openPostgres } from '../../src/db/client.js';
import { ADMIN_TOKEN, bearer, createTestApp, type TestContext } from '../helpers/app.js';
import { loadContract } from '../helpers/contract.js';

const contract = loadContract();
const unavailable = (detail: string) => ({
  errors: [{ status: '503', code: 'service_unavailable', title: 'Service Unavailable', detail }],
});
const DB_GONE = 'The service is temporarily unavailable. Retry later.';

/** inject, and the answer must keep the OpenAPI contract. */
async function call(app: FastifyInstance, options: InjectOptions): Promise<LightMyRequestResponse> {
  const res = await app.inject(options);
  const type = res.headers['content-type'];
  expect(
    contract.check(
      options.method ?? 'GET',
      String(options.url),
      res.statusCode,
      typeof type === 'string' ? type : undefined,
      res.body,
    ),
  ).toEqual([]);
  return res;
}

describe('PostgreSQL unreachable (a closed port)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    // Nothing listens on port 1: every checkout fails with ECONNREFUSED, fast.
    const database = await openPostgres({
      url: 'postgres://postgres@127.0.0.1:1/nowhere',
      connectionTimeoutMillis: 1_000,
    });
    app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database, adminToken: ADMIN_TOKEN });
  });
  afterAll(async () => {
    await app.close();
    await app.database.close();
  });

  it('answers 503 service_unavailable with Retry-After on the public API, never 500', async () => {
    const token = mintOpaque('at').value;
    for (const options of [
      { method: 'GET', url: '/v2/promotions/p:00000000-0000-4000-8000-000000000000' },
      {
        method: 'POST',
        url: '/v2/promotions',
        headers: { 'content-type': 'application/json' },
        payload: { promotion_id: 'p' },
      },
    ] as const) {
      const res = await call(app, { ...options, headers: { ...options.headers, ...bearer(token) } });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['x-ratelimit-limit']).toBe('3600');
      expect(res.json()).toEqual(unavailable(DB_GONE));
    }
  });

  it('answers 503 on the token endpoint and the admin API too', async () => {
    const token = await call(app, {
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&client_id=ci_x&client_secret=cs_y',
    });
    expect(token.statusCode).toBe(503);
    expect(token.headers['retry-after']).toBe('5');
    expect(token.json()).toEqual(unavailable(DB_GONE));

    const admin = await call(app, {
      method: 'GET',
      url: '/admin/v1/promotions',
      headers: bearer(ADMIN_TOKEN),
    });
    expect(admin.statusCode).toBe(503);
    expect(admin.headers['retry-after']).toBe('5');
    expect(admin.json()).toEqual(unavailable(DB_GONE));
  });

  it('is not ready, but alive', async () => {
    const ready = await call(app, { method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['retry-after']).toBe('5');
    expect(ready.json()).toEqual(unavailable('The database is unreachable.'));
    const alive = await call(app, { method: 'GET', url: '/healthz' });
    expect(alive.statusCode).toBe(200);
    expect(alive.json()).toMatchObject({ status: 'ok' });
  });
});

describe('an overloaded process (@fastify/under-pressure)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    // Any heap is over 1 byte: from the first sample on, the process counts as overloaded.
    ctx = await createTestApp({ env: { MAX_HEAP_USED_BYTES: '1' } });
  });
  afterAll(async () => {
    await ctx.app.close();
    await ctx.db.drop();
  });

  it('sheds requests with 503 service_unavailable and Retry-After, but /healthz and /metrics answer', async () => {
    const url = '/v2/promotions/p:00000000-0000-4000-8000-000000000000';
    // The thresholds are sampled once a second.
    const shed = await vi.waitFor(
      async () => {
        const res = await ctx.app.inject({ method: 'GET', url });
        if (res.statusCode !== 503) throw new Error(`still ${res.statusCode}`);
        return res;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(shed.headers['retry-after']).toBe('5');
    expect(shed.headers['x-ratelimit-limit']).toBe('3600');
    expect(shed.json()).toEqual(unavailable('The server is overloaded. Retry later.'));

    const admin = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions' });
    expect(admin.statusCode).toBe(503);
    expect(admin.headers['retry-after']).toBe('5');
    const ready = await ctx.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);

    const alive = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(alive.statusCode).toBe(200);
    expect(alive.json()).toMatchObject({ status: 'ok' });
    const metrics = await ctx.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('http_requests_total');
    expect(ctx.violations).toEqual([]);
  });
});
