import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import {
  authorizeCode,
  basic,
  enrollWith,
  exchangeCode,
  FORM,
  pkcePair,
  probe,
  REDIRECT_URI,
  REVOKED_CHALLENGE,
  token,
} from './oauth-helpers.js';

const ctx = useTestApp();

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

async function setup() {
  const partner = await ctx.fixtures.partner();
  const account = await ctx.fixtures.account();
  const promotionId = await ctx.fixtures.promotion(partner.id);
  return { partner, account, promotionId };
}

function expectOAuthError(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  body: { error: string; error_description: string },
) {
  expect(res.statusCode).toBe(status);
  expect(res.headers).toMatchObject(NO_STORE);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.json()).toEqual(body);
}

describe('POST /oauth/token grant_type=authorization_code', () => {
  it('exchanges a code for a user token and a refresh token that enroll on /v2', async () => {
    const { partner, account, promotionId } = await setup();
    const { code, verifier } = await authorizeCode(ctx, partner, account.email);
    const res = await exchangeCode(ctx, partner, code, verifier);
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject(NO_STORE);
    expect(res.json()).toEqual({
      access_token: expect.stringMatching(/^at_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'promotions:read promotions:write',
      refresh_token: expect.stringMatching(/^rt_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/),
    });
    const enrolled = await enrollWith(ctx, res.json().access_token, promotionId);
    expect(enrolled.statusCode).toBe(201);
  });

  it('accepts client credentials in the body as well', async () => {
    const { partner, account } = await setup();
    const { code, verifier } = await authorizeCode(ctx, partner, account.email, { scope: 'promotions:read' });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: FORM,
      payload: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: partner.clientId,
        client_secret: partner.clientSecret,
      }).toString(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().scope).toBe('promotions:read');
  });

  it.each([
    ['code', 'The code parameter is required.'],
    ['redirect_uri', 'The redirect_uri parameter is required.'],
    ['code_verifier', 'The code_verifier parameter is required.'],
  ])('answers invalid_request when %s is missing', async (missing, description) => {
    const { partner, account } = await setup();
    const { code, verifier } = await authorizeCode(ctx, partner, account.email);
    const params: Record<string, string> = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    };
    delete params[missing];
    expectOAuthError(await token(ctx, partner, params), 400, {
      error: 'invalid_request',
      error_description: description,
    });
  });

  it('answers invalid_request for a malformed code_verifier and a repeated parameter', async () => {
    const { partner, account } = await setup();
    const { code } = await authorizeCode(ctx, partner, account.email);
    const bad = await token(ctx, partner, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: 'too-short',
    });
    expectOAuthError(bad, 400, {
      error: 'invalid_request',
      error_description: 'code_verifier must be 43 to 128 unreserved characters.',
    });
    const dup = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { ...FORM, authorization: basic(partner.clientId, partner.clientSecret) },
      payload: `grant_type=authorization_code&code=${code}&code=${code}`,
    });
    expectOAuthError(dup, 400, {
      error: 'invalid_request',
      error_description: 'The code parameter is repeated.',
    });
  });

  it('answers invalid_request for a body that is not a form', async () => {
    const { partner } = await setup();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: {
        'content-type': 'application/json',
        authorization: basic(partner.clientId, partner.clientSecret),
      },
      payload: { grant_type: 'authorization_code' },
    });
    expectOAuthError(res, 400, {
      error: 'invalid_request',
      error_description: 'The request body must be application/x-www-form-urlencoded.',
    });
  });

  it('answers invalid_client (401 with a Basic challenge) for a wrong secret or a Bearer header', async () => {
    const { partner, account } = await setup();
    const { code, verifier } = await authorizeCode(ctx, partner, account.email);
    const payload = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }).toString();
    for (const [authorization, description] of [
      [basic(partner.clientId, 'cs_wrong'), 'Client authentication failed.'],
      ['Bearer something', 'The Authorization header must use the Basic scheme.'],
    ] as const) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { ...FORM, authorization },
        payload,
      });
      expectOAuthError(res, 401, { error: 'invalid_client', error_description: description });
      expect(res.headers['www-authenticate']).toBe('Basic realm="oauth", charset="UTF-8"');
    }
    // The failed client authentications did not spend the code.
    expect((await exchangeCode(ctx, partner, code, verifier)).statusCode).toBe(200);
  });

  it.each([
    ['an unknown code', `ac_${'A'.repeat(22)}.${'B'.repeat(43)}`],
    ['a malformed code', 'not-a-code'],
  ])('answers invalid_grant for %s', async (_name, code) => {
    const { partner } = await setup();
    const { verifier } = pkcePair();
    expectOAuthError(await exchangeCode(ctx, partner, code, verifier), 400, {
      error: 'invalid_grant',
      error_description: 'The authorization code is invalid or expired.',
    });
  });

  it('answers invalid_grant when the code secret is wrong', async () => {
    const { partner, account } = await setup();
    const { code, verifier } = await authorizeCode(ctx, partner, account.email);
    const forged = `${code.slice(0, 26)}${'C'.repeat(43)}`;
    expectOAuthError(await exchangeCode(ctx, partner, forged, verifier), 400, {
      error: 'invalid_grant',
      error_description: 'The authorization code is invalid or expired.',
    });
  });

  it('answers invalid_grant to another client presenting the code, which stays good for its own', async () => {
    const { partner, account } = await setup();
    const other = await ctx.fixtures.partner();
    const { code, verifier } = await authorizeCode(ctx, partner, account.email);
    expectOAuthError(await exchangeCode(ctx, other, code, verifier), 400, {
      error: 'invalid_grant',
      error_description: 'The authorization code is invalid or expired.',
    });
    expect((await exchangeCode(ctx, partner, code, verifier)).statusCode).toBe(200);
  });

  it('answers invalid_grant on a PKCE mismatch, and the code is spent', async () => {
    const { partner, account } = await setup();
    const { code, verifier } = await authorizeCode(ctx, partner, account.email);
    expectOAuthError(await exchangeCode(ctx, partner, code, pkcePair().verifier), 400, {
      error: 'invalid_grant',
      error_description: 'The code_verifier does not match the code_challenge.',
    });
    expectOAuthError(await exchangeCode(ctx, partner, code, verifier), 400, {
      error: 'invalid_grant',
      error_description: 'The authorization code was already used.',
    });
  });

  it('answers invalid_grant when redirect_uri differs from the authorization request', async () => {
    const second = 'http://127.0.0.1:4000/second';
    const partner = await ctx.fixtures.partner({ redirectUris: [REDIRECT_URI, second] });
    const account = await ctx.fixtures.account();
    const { code, verifier } = await authorizeCode(ctx, partner, account.email);
    const res = await token(ctx, partner, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: second,
      code_verifier: verifier,
    });
    expectOAuthError(res, 400, {
      error: 'invalid_grant',
      error_description: 'The redirect_uri does not match the one of the authorization request.',
    });
  });

  it('refuses a code after its 2 minutes', async () => {
    const { partner, account } = await setup();
    const { code, verifier } = await authorizeCode(ctx, partner, account.email);
    ctx.clock.advance(120_000);
    try {
      expectOAuthError(await exchangeCode(ctx, partner, code, verifier), 400, {
        error: 'invalid_grant',
        error_description: 'The authorization code is invalid or expired.',
      });
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
    }
  });

  it('accepts a code just inside its 2 minutes', async () => {
    const { partner, account } = await setup();
    const { code, verifier } = await authorizeCode(ctx, partner, account.email);
    ctx.clock.advance(119_000);
    try {
      expect((await exchangeCode(ctx, partner, code, verifier)).statusCode).toBe(200);
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
    }
  });

  it('refuses a replayed code and revokes every token it issued, refresh token included', async () => {
    const { partner, account, promotionId } = await setup();
    const { code, verifier } = await authorizeCode(ctx, partner, account.email);
    const first = await exchangeCode(ctx, partner, code, verifier);
    expect(first.statusCode).toBe(200);
    const { access_token, refresh_token } = first.json();
    expect((await probe(ctx, access_token)).statusCode).toBe(404);

    expectOAuthError(await exchangeCode(ctx, partner, code, verifier), 400, {
      error: 'invalid_grant',
      error_description: 'The authorization code was already used.',
    });

    const refused = await enrollWith(ctx, access_token, promotionId);
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toBe(REVOKED_CHALLENGE);
    expect(refused.json().errors[0].code).toBe('not_authenticated');
    expectOAuthError(await token(ctx, partner, { grant_type: 'refresh_token', refresh_token }), 400, {
      error: 'invalid_grant',
      error_description: 'The refresh token is invalid, expired or revoked.',
    });
  });

  it('lets only one of two concurrent redemptions succeed', async () => {
    const { partner, account } = await setup();
    const { code, verifier } = await authorizeCode(ctx, partner, account.email);
    const results = await Promise.all([
      exchangeCode(ctx, partner, code, verifier),
      exchangeCode(ctx, partner, code, verifier),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    // The loser's replay revoked the winner's tokens as well.
    const winner = results.find((r) => r.statusCode === 200)!;
    expect((await probe(ctx, winner.json().access_token)).statusCode).toBe(401);
  });

  it('answers unsupported_grant_type for the implicit and password grants', async () => {
    const { partner } = await setup();
    for (const grant of ['password', 'implicit']) {
      expectOAuthError(await token(ctx, partner, { grant_type: grant }), 400, {
        error: 'unsupported_grant_type',
        error_description: `The grant type "${grant}" is not supported.`,
      });
    }
  });
});
