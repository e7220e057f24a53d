import { describe, expect, it } from 'vitest';
import { bearer, useTestApp } from '../helpers/app.js';
import { backend } from '../helpers/database.js';

const ctx = useTestApp();
const sample = (body: string, series: string) => {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  it('counts requests and times them by route template and status', async () => {
    const partner = await ctx.fixtures.partner();
    const token = await ctx.fixtures.appToken(partner.id);
    for (const id of ['a:00000000-0000-4000-8000-000000000001', 'b:00000000-0000-4000-8000-000000000002']) {
      expect(
        (await ctx.app.inject({ method: 'GET', url: `/v2/promotions/${id}`, headers: bearer(token) }))
          .statusCode,
      ).toBe(404);
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/v2/promotions/x:1' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/no/such/thing?x=1' })).statusCode).toBe(404);

    const res = await ctx.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = res.body;
    const route = 'route="/v2/promotions/:enrollment_id"';
    expect(sample(body, `http_requests_total{method="GET",${route},status="404"}`)).toBe(2);
    expect(sample(body, `http_requests_total{method="GET",${route},status="401"}`)).toBe(1);
    // Unknown URLs share one label, so a scan cannot blow up the series count.
    expect(sample(body, 'http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(body).not.toContain('/no/such/thing');
    expect(sample(body, `http_request_duration_seconds_count{method="GET",${route},status="404"}`)).toBe(2);
    expect(
      sample(body, `http_request_duration_seconds_bucket{le="+Inf",method="GET",${route},status="404"}`),
    ).toBe(2);
    expect(sample(body, 'rate_limit_rejections_total{kind="ip"}')).toBe(0);
    expect(sample(body, 'rate_limit_rejections_total{kind="partner"}')).toBe(0);
    // Without REDIS_URL there is no shared store to report on.
    expect(body).not.toMatch(/^redis_up /m);
    expect(body).toContain('process_resident_memory_bytes');
  });

  it('reports the PostgreSQL pool (absent on embedded PGlite)', async () => {
    const body = (await ctx.app.inject({ method: 'GET', url: '/metrics' })).body;
    if (backend === 'pglite') {
      expect(body).not.toMatch(/^db_pool_connections\{/m);
      return;
    }
    const total = sample(body, 'db_pool_connections{state="total"}');
    const idle = sample(body, 'db_pool_connections{state="idle"}');
    expect(total).toBeGreaterThanOrEqual(1);
    expect(idle).toBeGreaterThanOrEqual(0);
    expect(sample(body, 'db_pool_connections{state="in_use"}')).toBe(total! - idle!);
    expect(sample(body, 'db_pool_connections{state="waiting"}')).toBe(0);
  });
});
