// PATCH /admin/v1/partners/{id}: a partner's name, redirect URIs and scopes change; `status:
// disabled` refuses its tokens (every token statement) and client credentials at once, keeps its
// enrollments, and `enabled` restores them.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { requestsFor } from '../helpers/requests.js';
import { authorizeQuery, pkcePair } from '../oauth/oauth-helpers.js';
import { operatorWithKey } from './operator-helpers.js';

const ctx = useTestApp();
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (p: PartnerFixture) =>
  `Basic ${Buffer.from(`${p.clientId}:${p.clientSecret}`).toString('base64')}`;

const patch = (id: string, payload: Record<string, unknown>) =>
  ctx.admin({ method: 'PATCH', url: `/admin/v1/partners/${id}`, payload });

let partner: PartnerFixture;
beforeAll(async () => {
  partner = await ctx.fixtures.partner({ name: 'Before', redirectUris: ['https://a.example/cb'] });
});

describe('PATCH /admin/v1/partners/{id}', () => {
  it('changes the fields given and keeps the others', async () => {
    const res = await patch(partner.id, {
      name: 'After',
      redirect_uris: ['https://b.example/cb', 'https://c.example/cb'],
      scopes: ['promotions:write', 'promotions:read'],
    });
    expect(res.statusCode).toBe(200);
    const expected = {
      id: partner.id,
      name: 'After',
      client_id: partner.clientId,
      redirect_uris: ['https://b.example/cb', 'https://c.example/cb'],
      scopes: ['promotions:read', 'promotions:write'],
      sandbox: false,
      status: 'enabled',
      created_at: '2026-04-28T10:00:00Z',
    };
    expect(res.json()).toEqual(expected);
    const read = await ctx.admin({ method: 'GET', url: `/admin/v1/partners/${partner.id}` });
    expect(read.json()).toEqual(expected);
  });

  it.each([
    ['no field', {}, ''],
    ['a bad redirect URI', { redirect_uris: ['ftp://x.example/cb'] }, '/redirect_uris/0'],
    ['an unknown status', { status: 'off' }, '/status'],
    ['an empty name', { name: ' ' }, '/name'],
  ])('refuses %s with 400 and changes nothing', async (_label, body, pointer) => {
    const res = await patch(partner.id, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ status: '400', source: { pointer } });
    const read = await ctx.admin({ method: 'GET', url: `/admin/v1/partners/${partner.id}` });
    expect(read.json()).toMatchObject({ name: 'After', status: 'enabled' });
  });

  it('answers 404 for an unknown partner', async () => {
    const res = await patch('00000000-0000-4000-8000-000000000009', { status: 'disabled' });
    expect(res.statusCode).toBe(404);
    expect(res.json().errors[0]).toMatchObject({ status: '404', code: 'partner_not_found' });
  });

  it('is for owners: an editor gets 403', async () => {
    const editor = await operatorWithKey(ctx, 'editor');
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/admin/v1/partners/${partner.id}`,
      headers: bearer(editor.key),
      payload: { status: 'disabled' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().errors[0]).toMatchObject({ status: '403', code: 'permission_denied' });
  });
});

describe('a disabled partner', () => {
  it('has its tokens and client credentials refused at once, its enrollments kept, until enabled again', async () => {
    const p = await ctx.fixtures.partner();
    const requests = requestsFor(ctx, () => p);
    const promotionId = await ctx.fixtures.promotion(p.id);
    const { token: userToken } = await requests.user();
    const enrolled = await requests.enroll(userToken, promotionId);
    expect(enrolled.statusCode).toBe(201);
    const enrollmentId: string = enrolled.json().enrollment_id;
    const appToken = await ctx.fixtures.appToken(p.id);
    const getEnrollment = (token: string) =>
      ctx.app.inject({ method: 'GET', url: `/v2/promotions/${enrollmentId}`, headers: bearer(token) });
    const clientCredentials = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { ...form, authorization: basic(p) },
        payload: 'grant_type=client_credentials',
      });
    const before = await getEnrollment(appToken);
    expect(before.statusCode).toBe(200);

    const disabled = await patch(p.id, { status: 'disabled' });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().status).toBe('disabled');

    const challenge =
      'Bearer realm="promotions", error="invalid_token", error_description="The access token\'s partner is disabled."';
    // GET reads its token in one statement with the enrollment; the others through bearer-auth.
    for (const res of [
      await getEnrollment(appToken),
      await getEnrollment(userToken),
      await requests.enroll(userToken, promotionId),
      await ctx.app.inject({
        method: 'DELETE',
        url: `/v2/promotions/${enrollmentId}`,
        headers: bearer(userToken),
      }),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe(challenge);
      expect(res.json().errors[0]).toMatchObject({ status: '401', code: 'not_authenticated' });
    }
    const refused = await clientCredentials();
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ error: 'invalid_client', error_description: 'The client is disabled.' });
    // A wrong secret still hears only that authentication failed.
    const wrong = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { ...form, authorization: basic({ ...p, clientSecret: 'cs_wrong' }) },
      payload: 'grant_type=client_credentials',
    });
    expect(wrong.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed.',
    });

    const kept = await queryRows<{ n: number }>(
      ctx.app.db,
      sql`select count(*)::int as n from enrollments where partner_id = ${p.id} and unenrolled_at is null`,
    );
    expect(kept[0]!.n).toBe(1);

    const enabled = await patch(p.id, { status: 'enabled' });
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json().status).toBe('enabled');
    const after = await getEnrollment(appToken);
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual(before.json());
    expect((await getEnrollment(userToken)).statusCode).toBe(200);
    expect((await clientCredentials()).statusCode).toBe(200);
  });

  it('gets an error page, never a consent form, at the authorization endpoint', async () => {
    const p = await ctx.fixtures.partner();
    expect((await patch(p.id, { status: 'disabled' })).statusCode).toBe(200);
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/oauth/authorize?${authorizeQuery(p, pkcePair().challenge)}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toContain('<p>This application is disabled by the operator.</p>');
    expect(res.body).not.toContain('name="password"');
  });
});
