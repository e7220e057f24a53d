import { describe, expect, it } from 'vitest';
import type { PartnerFixture } from '../helpers/app.js';
import { useTestApp } from '../helpers/app.js';
import { authorizeCode, enrollWith, exchangeCode, probe, REVOKED_CHALLENGE, token } from './oauth-helpers.js';

const ctx = useTestApp();

async function userGrant(scope?: string) {
  const partner = await ctx.fixtures.partner();
  const account = await ctx.fixtures.account();
  const { code, verifier } = await authorizeCode(ctx, partner, account.email, scope ? { scope } : {});
  const res = await exchangeCode(ctx, partner, code, verifier);
  expect(res.statusCode).toBe(200);
  return { partner, account, tokens: res.json() as { access_token: string; refresh_token: string } };
}

const refresh = (partner: PartnerFixture, refreshToken: string, scope?: string) =>
  token(ctx, partner, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    ...(scope ? { scope } : {}),
  });

const INVALID = {
  error: 'invalid_grant',
  error_description: 'The refresh token is invalid, expired or revoked.',
};

describe('POST /oauth/token grant_type=refresh_token', () => {
  it('rotates: a new pair, and the old refresh token dies', async () => {
    const { partner, tokens } = await userGrant();
    const res = await refresh(partner, tokens.refresh_token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const next = res.json();
    expect(next).toEqual({
      access_token: expect.stringMatching(/^at_/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'promotions:read promotions:write',
      refresh_token: expect.stringMatching(/^rt_/),
    });
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect((await probe(ctx, next.access_token)).statusCode).toBe(404);
    // The new refresh token works in turn.
    expect((await refresh(partner, next.refresh_token)).statusCode).toBe(200);
  });

  it('revokes the whole family when a rotated refresh token comes back', async () => {
    const { partner, tokens } = await userGrant();
    const promotionId = await ctx.fixtures.promotion(partner.id);
    const second = (await refresh(partner, tokens.refresh_token)).json();
    const third = (await refresh(partner, second.refresh_token)).json();

    const reuse = await refresh(partner, tokens.refresh_token);
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The refresh token was already used; its grant is revoked.',
    });
    // Every access token of the family, old and new, is refused at once on /v2 …
    for (const accessToken of [tokens.access_token, second.access_token, third.access_token]) {
      const res = await enrollWith(ctx, accessToken, promotionId);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe(REVOKED_CHALLENGE);
    }
    // … and so is the newest refresh token.
    const latest = await refresh(partner, third.refresh_token);
    expect(latest.statusCode).toBe(400);
    expect(latest.json()).toEqual(INVALID);
  });

  it('lets only one of two concurrent rotations succeed', async () => {
    const { partner, tokens } = await userGrant();
    const results = await Promise.all([
      refresh(partner, tokens.refresh_token),
      refresh(partner, tokens.refresh_token),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400]);
  });

  it('narrows the scope on request; the grant itself keeps its scopes', async () => {
    const { partner, tokens } = await userGrant();
    const narrow = await refresh(partner, tokens.refresh_token, 'promotions:read');
    expect(narrow.statusCode).toBe(200);
    expect(narrow.json().scope).toBe('promotions:read');
    const wide = await refresh(partner, narrow.json().refresh_token);
    expect(wide.json().scope).toBe('promotions:read promotions:write');
  });

  it('refuses to widen the scope: invalid_scope', async () => {
    const { partner, tokens } = await userGrant('promotions:read');
    for (const scope of ['promotions:write', 'promotions:read promotions:write', 'promotions:admin']) {
      const res = await refresh(partner, tokens.refresh_token, scope);
      expect(res.statusCode).toBe(400);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({
        error: 'invalid_scope',
        error_description: 'The requested scope exceeds the scope originally granted.',
      });
    }
    // Refusing the scope did not spend the token.
    expect((await refresh(partner, tokens.refresh_token)).statusCode).toBe(200);
  });

  it("answers invalid_grant for another client's refresh token, without spending it", async () => {
    const { partner, tokens } = await userGrant();
    const other = await ctx.fixtures.partner();
    const res = await refresh(other, tokens.refresh_token);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual(INVALID);
    expect((await refresh(partner, tokens.refresh_token)).statusCode).toBe(200);
  });

  it('answers invalid_grant for unknown, forged and expired refresh tokens', async () => {
    const { partner, tokens } = await userGrant();
    for (const value of [
      'rt_nope',
      `rt_${'A'.repeat(22)}.${'B'.repeat(43)}`,
      `${tokens.refresh_token.slice(0, 26)}${'C'.repeat(43)}`,
    ]) {
      const res = await refresh(partner, value);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(INVALID);
    }
    ctx.clock.advance(30 * 24 * 3600 * 1000);
    try {
      const res = await refresh(partner, tokens.refresh_token);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(INVALID);
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
    }
  });

  it('answers invalid_request without a refresh_token', async () => {
    const { partner } = await userGrant();
    const res = await token(ctx, partner, { grant_type: 'refresh_token' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'The refresh_token parameter is required.',
    });
  });
});
