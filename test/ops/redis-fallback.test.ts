import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/ops/logging.js';
import { bearer, useTestApp } from '../helpers/app.js';

// REDIS_URL names a port nobody listens on: the shared store is down from the start.
const warnings: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      const record = JSON.parse(line) as { level: number; msg: string };
      if (record.level >= 40) warnings.push(record.msg);
    }
    done();
  },
});
const ctx = useTestApp({
  env: { REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_PER_HOUR: '3' },
  loggerInstance: createLogger('info', sink),
});

describe('with Redis unreachable', () => {
  it('keeps serving and limiting on in-process counters, warns once, and says so in /metrics', async () => {
    const partner = await ctx.fixtures.partner();
    const token = await ctx.fixtures.appToken(partner.id);
    const url = '/v2/promotions/p:00000000-0000-4000-8000-000000000000';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: bearer(token) });
      statuses.push(res.statusCode);
      if (i === 0) expect(res.headers['x-ratelimit-remaining']).toBe('2');
    }
    expect(statuses).toEqual([404, 404, 404, 429]);

    const unreachable = warnings.filter((m) => m.startsWith('Redis is unreachable'));
    expect(unreachable).toEqual(['Redis is unreachable: rate limits fall back to in-process counters']);

    const metrics = (await ctx.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^redis_up 0$/m);
    const fallbacks = Number(/^rate_limit_local_fallback_total (\d+)$/m.exec(metrics)?.[1]);
    // Each request counted against its IP and (once authenticated) its partner.
    expect(fallbacks).toBeGreaterThanOrEqual(8);
  });
});
