import { describe, expect, it } from 'vitest';
import { bearer, useTestApp } from '../helpers/app.js';

// OWASP API Security Top 10 cases not already proven beside the feature they attack
// (BOLA on GET/DELETE lives in test/enrollments, brute force in the rate-limit tests). Another
// audience's token on every route (BFLA), and another partner's id on every /v2 route (BOLA),
// are the route suites': test/auth/v2-routes.test.ts and test/admin/roles.test.ts.
const ctx = useTestApp();

describe('authorization attacks', () => {
  it('refuses a revoked token at once', async () => {
    const partner = await ctx.fixtures.partner();
    const token = await ctx.fixtures.appToken(partner.id);
    const url = '/v2/promotions/x:00000000-0000-4000-8000-000000000000';
    expect((await ctx.app.inject({ method: 'GET', url, headers: bearer(token) })).statusCode).toBe(404);
    const id = token.slice(3).split('.')[0]!;
    await ctx.app.tokenRepository.revokeAccessToken(id, partner.id, ctx.clock.now());
    const res = await ctx.app.inject({ method: 'GET', url, headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error_description="The access token was revoked."');
  });

  it('ignores mass-assigned read-only fields on admin create (enrollments_count, created_at)', async () => {
    const partner = await ctx.fixtures.partner();
    const res = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/promotions',
      payload: {
        id: 'mass_assign',
        partner_id: partner.id,
        name: 'n',
        enrollments_count: 999,
        created_at: '2000-01-01T00:00:00Z',
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ enrollments_count: 0, created_at: '2026-04-28T10:00:00Z' });
  });

  it('never sends X-Powered-By or a stack trace, even on a 404 or 401', async () => {
    for (const url of ['/', '/v2/promotions/x', '/admin/v1/promotions', '/nope']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.body).not.toMatch(/at .+\(.+:\d+:\d+\)|node_modules/);
    }
  });
});
