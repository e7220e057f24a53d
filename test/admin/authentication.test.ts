// Who may call the admin API: 401 without the admin token, with a wrong one or with a partner's
// token; 503 admin_disabled when no admin token is configured.
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, createTestApp, useTestApp } from '../helpers/app.js';

const ctx = useTestApp();

describe('admin authentication', () => {
  it('answers 401 without the admin token and with a wrong one', async () => {
    const none = await ctx.app.inject({ method: 'GET', url: '/admin/v1/promotions' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="admin"');
    expect(none.json().errors[0]).toMatchObject({ status: '401', code: 'not_authenticated' });
    const wrong = await ctx.app.inject({
      method: 'GET',
      url: '/admin/v1/promotions',
      headers: bearer('x'.repeat(32)),
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="admin", error="invalid_token"');
  });

  it('refuses a partner access token on admin routes', async () => {
    const p = await ctx.fixtures.partner();
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/admin/v1/promotions',
      headers: bearer(await ctx.fixtures.appToken(p.id)),
    });
    expect(res.statusCode).toBe(401);
  });

  it('answers 503 admin_disabled when no admin token is configured', async () => {
    const disabled = await createTestApp({ adminToken: null });
    try {
      const res = await disabled.app.inject({
        method: 'GET',
        url: '/admin/v1/promotions',
        headers: bearer(ADMIN_TOKEN),
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        errors: [
          {
            status: '503',
            code: 'admin_disabled',
            title: 'Admin API Disabled',
            detail: 'The admin API is disabled: set ADMIN_TOKEN to enable it.',
          },
        ],
      });
      expect(disabled.violations).toEqual([]);
    } finally {
      await disabled.app.close();
      await disabled.db.drop();
    }
  });
});
