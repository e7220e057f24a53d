import { describe, expect, it } from 'vitest';
import { bearer, useTestApp } from '../helpers/app.js';

const ctx = useTestApp();
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('POST /oauth/token grant_type=client_credentials', () => {
  it('issues an app token with HTTP Basic client auth and no-store', async () => {
    const p = await ctx.fixtures.partner();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { ...form, authorization: basic(p.clientId, p.clientSecret) },
      payload: 'grant_type=client_credentials',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    expect(res.json()).toEqual({
      access_token: expect.stringMatching(/^at_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'promotions:read promotions:write',
    });
    // Stored only as a hash: the secret part appears nowhere in the database.
    const token: string = res.json().access_token;
    const [id, secret] = token.slice(3).split('.') as [string, string];
    const row = await ctx.app.tokenRepository.findAccessToken(id);
    expect(row?.kind).toBe('app');
    expect(row?.secretHash).not.toContain(secret);
  });

  it('accepts body credentials and a narrower scope', async () => {
    const p = await ctx.fixtures.partner();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: form,
      payload: `grant_type=client_credentials&scope=promotions%3Aread&client_id=${p.clientId}&client_secret=${p.clientSecret}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().scope).toBe('promotions:read');
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: '/v2/promotions/x:00000000-0000-4000-8000-000000000000',
      headers: bearer(res.json().access_token),
    });
    expect(del.statusCode).toBe(403);
  });

  it.each([
    [
      'a wrong secret',
      (id: string) => ({ authorization: basic(id, 'cs_wrong') }),
      'grant_type=client_credentials',
    ],
    [
      'an unknown client',
      () => ({ authorization: basic('ci_nobody', 'whatever') }),
      'grant_type=client_credentials',
    ],
    ['no client authentication', () => ({}), 'grant_type=client_credentials'],
  ])('answers 401 invalid_client to %s, with a challenge', async (_name, headers, payload) => {
    const p = await ctx.fixtures.partner();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { ...form, ...headers(p.clientId) },
      payload,
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="oauth", charset="UTF-8"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  });

  it('refuses credentials both in the header and the body, and repeated parameters', async () => {
    const p = await ctx.fixtures.partner();
    const both = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { ...form, authorization: basic(p.clientId, p.clientSecret) },
      payload: `grant_type=client_credentials&client_id=${p.clientId}`,
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().error).toBe('invalid_request');
    const dup = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { ...form, authorization: basic(p.clientId, p.clientSecret) },
      payload: 'grant_type=client_credentials&grant_type=client_credentials',
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json()).toEqual({
      error: 'invalid_request',
      error_description: 'The grant_type parameter is repeated.',
    });
  });

  it('answers invalid_scope and unsupported_grant_type', async () => {
    const p = await ctx.fixtures.partner({ scopes: ['promotions:read'] });
    const auth = { ...form, authorization: basic(p.clientId, p.clientSecret) };
    const scope = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: auth,
      payload: 'grant_type=client_credentials&scope=promotions%3Awrite',
    });
    expect(scope.statusCode).toBe(400);
    expect(scope.json().error).toBe('invalid_scope');
    const grant = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: auth,
      payload: 'grant_type=password',
    });
    expect(grant.statusCode).toBe(400);
    expect(grant.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'The grant type "password" is not supported.',
    });
    const missing = await ctx.app.inject({ method: 'POST', url: '/oauth/token', headers: auth, payload: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toBe('invalid_request');
  });
});

describe('the verified-secret cache', () => {
  const call = (clientId: string, secret: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { ...form, authorization: basic(clientId, secret) },
      payload: 'grant_type=client_credentials',
    });

  it('remembers a secret that passed scrypt, and never lets a wrong one through', async () => {
    const { verifiedSecrets } = ctx.app;
    const p = await ctx.fixtures.partner();
    const row = await ctx.app.partnersRepository.findById(p.id);
    expect(verifiedSecrets.has(row!.clientSecretHash, p.clientSecret)).toBe(false);
    expect((await call(p.clientId, p.clientSecret)).statusCode).toBe(200);
    expect(verifiedSecrets.has(row!.clientSecretHash, p.clientSecret)).toBe(true);
    expect((await call(p.clientId, p.clientSecret)).statusCode).toBe(200);
    expect((await call(p.clientId, `${p.clientSecret}x`)).statusCode).toBe(401);
    expect(verifiedSecrets.has(row!.clientSecretHash, `${p.clientSecret}x`)).toBe(false);
    // Keyed by the stored hash: another partner's hash never matches this secret.
    expect(verifiedSecrets.has('scrypt$other', p.clientSecret)).toBe(false);
  });

  it('forgets a secret ten minutes later by the injected clock', async () => {
    const { verifiedSecrets } = ctx.app;
    const p = await ctx.fixtures.partner();
    const row = await ctx.app.partnersRepository.findById(p.id);
    expect((await call(p.clientId, p.clientSecret)).statusCode).toBe(200);
    ctx.clock.advance(10 * 60 * 1000);
    expect(verifiedSecrets.has(row!.clientSecretHash, p.clientSecret)).toBe(true);
    ctx.clock.advance(1);
    expect(verifiedSecrets.has(row!.clientSecretHash, p.clientSecret)).toBe(false);
    // Forgotten is only slower: the secret still passes scrypt and is remembered again.
    expect((await call(p.clientId, p.clientSecret)).statusCode).toBe(200);
    expect(verifiedSecrets.has(row!.clientSecretHash, p.clientSecret)).toBe(true);
  });
});
