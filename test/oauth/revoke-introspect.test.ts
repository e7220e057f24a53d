import { describe, expect, it } from 'vitest';
import type { PartnerFixture } from '../helpers/app.js';
import { useTestApp } from '../helpers/app.js';
import {
  authorizeCode,
  basic,
  enrollWith,
  exchangeCode,
  FORM,
  probe,
  REVOKED_CHALLENGE,
  token,
} from './oauth-helpers.js';

const ctx = useTestApp();

async function userGrant() {
  const partner = await ctx.fixtures.partner();
  const account = await ctx.fixtures.account();
  const { code, verifier } = await authorizeCode(ctx, partner, account.email);
  const res = await exchangeCode(ctx, partner, code, verifier);
  return { partner, account, tokens: res.json() as { access_token: string; refresh_token: string } };
}

const call = (path: string, partner: PartnerFixture, params: Record<string, string>) =>
  ctx.app.inject({
    method: 'POST',
    url: path,
    headers: { ...FORM, authorization: basic(partner.clientId, partner.clientSecret) },
    payload: new URLSearchParams(params).toString(),
  });
const revoke = (partner: PartnerFixture, params: Record<string, string>) =>
  call('/oauth/revoke', partner, params);
const introspect = (partner: PartnerFixture, params: Record<string, string>) =>
  call('/oauth/introspect', partner, params);

describe('POST /oauth/revoke', () => {
  it('revokes an access token: it stops working on /v2 at once', async () => {
    const { partner, tokens } = await userGrant();
    const promotionId = await ctx.fixtures.promotion(partner.id);
    const res = await revoke(partner, { token: tokens.access_token, token_type_hint: 'access_token' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const refused = await enrollWith(ctx, tokens.access_token, promotionId);
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toBe(REVOKED_CHALLENGE);
    expect(refused.json()).toEqual({
      errors: [
        {
          status: '401',
          code: 'not_authenticated',
          title: 'User Not Authenticated',
          detail:
            'User must be authenticated to access this resource. No valid user access token was provided.',
        },
      ],
    });
    // The refresh token is untouched (RFC 7009 leaves that to the server; we keep it).
    expect(
      (await token(ctx, partner, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }))
        .statusCode,
    ).toBe(200);
  });

  it('revokes a refresh token with its family, access tokens included, whatever the hint says', async () => {
    const { partner, tokens } = await userGrant();
    const res = await revoke(partner, { token: tokens.refresh_token, token_type_hint: 'access_token' });
    expect(res.statusCode).toBe(200);
    expect((await probe(ctx, tokens.access_token)).statusCode).toBe(401);
    const again = await token(ctx, partner, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toBe('invalid_grant');
  });

  it("answers 200 for unknown tokens and another partner's tokens, and revokes nothing", async () => {
    const { tokens } = await userGrant();
    const other = await ctx.fixtures.partner();
    for (const value of [
      tokens.access_token,
      tokens.refresh_token,
      'whatever',
      `at_${'A'.repeat(22)}.${'B'.repeat(43)}`,
    ]) {
      const res = await revoke(other, { token: value });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({});
    }
    expect((await probe(ctx, tokens.access_token)).statusCode).toBe(404);
  });

  it('answers invalid_request without a token and invalid_client without client authentication', async () => {
    const { partner } = await userGrant();
    const missing = await revoke(partner, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual({
      error: 'invalid_request',
      error_description: 'The token parameter is required.',
    });
    const anonymous = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/revoke',
      headers: FORM,
      payload: 'token=x',
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="oauth", charset="UTF-8"');
    expect(anonymous.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication is required.',
    });
  });
});

describe('POST /oauth/introspect', () => {
  it('describes an own live access token', async () => {
    const { partner, account, tokens } = await userGrant();
    const res = await introspect(partner, { token: tokens.access_token });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const now = Date.parse('2026-04-28T10:00:00Z') / 1000;
    expect(res.json()).toEqual({
      active: true,
      scope: 'promotions:read promotions:write',
      client_id: partner.clientId,
      token_type: 'Bearer',
      exp: now + 3600,
      iat: now,
      sub: account.id,
      aud: partner.clientId,
      iss: ctx.config.publicUrl,
    });
  });

  it('describes an own refresh token, and an app token without a subject', async () => {
    const { partner, tokens } = await userGrant();
    const rt = await introspect(partner, { token: tokens.refresh_token, token_type_hint: 'refresh_token' });
    expect(rt.json()).toMatchObject({ active: true, token_type: 'refresh_token' });
    const app = await token(ctx, partner, { grant_type: 'client_credentials' });
    const at = (await introspect(partner, { token: app.json().access_token })).json();
    expect(at.active).toBe(true);
    expect(at.sub).toBeUndefined();
  });

  it("answers active:false for another partner's tokens", async () => {
    const { tokens } = await userGrant();
    const other = await ctx.fixtures.partner();
    for (const value of [tokens.access_token, tokens.refresh_token]) {
      const res = await introspect(other, { token: value });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ active: false });
    }
  });

  it('answers active:false for revoked, rotated, expired and unknown tokens', async () => {
    const { partner, tokens } = await userGrant();
    const rotated = await token(ctx, partner, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect((await introspect(partner, { token: tokens.refresh_token })).json()).toEqual({ active: false });
    const next = rotated.json();
    await revoke(partner, { token: next.access_token });
    expect((await introspect(partner, { token: next.access_token })).json()).toEqual({ active: false });
    ctx.clock.advance(3600_000);
    try {
      expect((await introspect(partner, { token: tokens.access_token })).json()).toEqual({ active: false });
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
    }
    expect((await introspect(partner, { token: 'garbage' })).json()).toEqual({ active: false });
  });

  it('answers invalid_client to a wrong secret', async () => {
    const { partner, tokens } = await userGrant();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/introspect',
      headers: { ...FORM, authorization: basic(partner.clientId, 'cs_wrong') },
      payload: `token=${tokens.access_token}`,
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="oauth", charset="UTF-8"');
    expect(res.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed.',
    });
  });
});

describe('GET /.well-known/oauth-authorization-server', () => {
  it('publishes RFC 8414 metadata with PUBLIC_URL as the issuer', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' });
    expect(res.statusCode).toBe(200);
    const issuer = ctx.config.publicUrl;
    expect(issuer).toBe('http://127.0.0.1:3000');
    expect(res.json()).toEqual({
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      scopes_supported: ['promotions:read', 'promotions:write'],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
  });

  it('serves no OpenID configuration: this is an OAuth 2 server without ID tokens', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
    expect(res.statusCode).toBe(404);
    expect(res.json().errors[0].code).toBe('not_found');
  });
});

describe('a value PostgreSQL cannot take, on the endpoints clients call', () => {
  it.each(['/oauth/revoke', '/oauth/introspect'])(
    '%s answers 400 invalid_request for a NUL byte in client_id, never the API envelope',
    async (path) => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: path,
        headers: FORM,
        payload: 'client_id=a%00b&client_secret=cs_x&token=t',
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({
        error: 'invalid_request',
        error_description:
          'The request contains a value that cannot be stored (for example a NUL character).',
      });
    },
  );
});
