import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createTestApp } from './helpers/app.js';
import { createTestDatabase } from './helpers/database.js';

describe('the error handler', () => {
  it('answers an unexpected failure with 500 internal_error and no stack, SQL or secret', async () => {
    const db = await createTestDatabase();
    const app = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      database: db.database,
      adminToken: null,
    });
    app.get('/v2/boom', async () => {
      throw new Error(
        'select * from partners where client_secret_hash = scrypt$secret at Object.<anonymous> (/src/x.ts:1:1)',
      );
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/v2/boom' });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        errors: [
          {
            status: '500',
            code: 'internal_error',
            title: 'Internal Server Error',
            detail: 'An unexpected error occurred.',
          },
        ],
      });
      expect(res.body).not.toMatch(/select|scrypt|\.ts:/);
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it('answers 503 service_unavailable with Retry-After when the database is gone, and readyz says so', async () => {
    const ctx = await createTestApp();
    const partner = await ctx.fixtures.partner();
    const token = await ctx.fixtures.appToken(partner.id);
    await ctx.db.database.close();
    try {
      const res = await ctx.app.inject({
        method: 'GET',
        url: '/v2/promotions/x:00000000-0000-4000-8000-000000000000',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toEqual({
        errors: [
          {
            status: '503',
            code: 'service_unavailable',
            title: 'Service Unavailable',
            detail: 'The service is temporarily unavailable. Retry later.',
          },
        ],
      });
      const ready = await ctx.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.headers['retry-after']).toBe('5');
      expect((await ctx.app.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({
        status: 'ok',
      });
      expect(ctx.violations).toEqual([]);
    } finally {
      await ctx.app.close();
      await ctx.db.drop().catch(() => {});
    }
  });
});
