// End to end with the strictest OAuth clients around: openid-client 6 (and the oauth4webapi 3
// it is built on) discover this server with `algorithm: 'oauth2'` (RFC 8414: there is no
// OpenID configuration), sign a user in through the real consent page with PKCE, validate the
// authorization response's `iss` (RFC 9207), exchange the code, refresh, get an app token,
// introspect and revoke — over real HTTP against a listening server. Issue 21 items 5–9.
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PASSWORD, type PartnerFixture, type TestContext } from '../helpers/app.js';
import { assertNoViolations } from '../helpers/contract.js';
import { freePort } from '../helpers/processes.js';
import { hiddenInputs, REDIRECT_URI } from './oauth-helpers.js';

let ctx: TestContext;
let issuer: string;
let partner: PartnerFixture;
let promotionId: string;
let email: string;

/** The server listens where PUBLIC_URL says, so the issuer is the URL the clients use. */
async function listeningApp(env: Record<string, string> = {}): Promise<{ ctx: TestContext; issuer: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = await createTestApp({ env: { PUBLIC_URL: url, ...env } });
  await app.app.listen({ port, host: '127.0.0.1' });
  return { ctx: app, issuer: url };
}

beforeAll(async () => {
  ({ ctx, issuer } = await listeningApp());
  partner = await ctx.fixtures.partner({ name: 'Strict Client Co' });
  promotionId = await ctx.fixtures.promotion(partner.id);
  email = (await ctx.fixtures.account()).email;
});

afterAll(async () => {
  assertNoViolations(ctx.violations.splice(0));
  await ctx.app.close();
  await ctx.db.drop();
});

/** What a browser does with the consent page: load it, sign in, approve; the redirect it gets. */
async function approveInBrowser(authorizationUrl: URL): Promise<Response> {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(page.status).toBe(200);
  const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!;
  const form = new URLSearchParams({
    ...hiddenInputs(await page.text()),
    email,
    password: PASSWORD,
    decision: 'approve',
  });
  return fetch(new URL('/oauth/authorize', issuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: form.toString(),
  });
}

const discover = (auth: client.ClientAuth = client.ClientSecretBasic()) =>
  client.discovery(new URL(issuer), partner.clientId, partner.clientSecret, auth, {
    algorithm: 'oauth2',
    // The test server speaks http on loopback; production issuers are https.
    execute: [client.allowInsecureRequests],
  });

describe('openid-client 6 with algorithm: oauth2', () => {
  it('discovers the RFC 8414 metadata, and the issuer is the URL it was given', async () => {
    const config = await discover();
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(metadata.token_endpoint).toBe(`${issuer}/oauth/token`);
    expect(metadata.supportsPKCE()).toBe(true);
  });

  it('runs authorization code + PKCE through the consent page, checks iss, refreshes and enrolls', async () => {
    const config = await discover();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'promotions:read promotions:write',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
    });

    const approved = await approveInBrowser(authorizationUrl);
    expect(approved.status).toBe(303);
    const callback = new URL(approved.headers.get('location')!);
    expect(callback.searchParams.get('iss')).toBe(issuer);

    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
    });
    expect(tokens.token_type).toBe('bearer'); // oauth4webapi lower-cases it
    expect(tokens.scope).toBe('promotions:read promotions:write');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.refresh_token).toMatch(/^rt_/);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toMatch(/^rt_/);

    const enrolled = await client.fetchProtectedResource(
      config,
      refreshed.access_token,
      new URL('/v2/promotions', issuer),
      'POST',
      JSON.stringify({ promotion_id: promotionId }),
      new Headers({ 'content-type': 'application/json' }),
    );
    expect(enrolled.status).toBe(201);
    expect(await enrolled.json()).toEqual({
      enrollment_id: expect.stringMatching(new RegExp(`^${promotionId}:[0-9a-f-]{36}$`)),
    });

    // Introspection and revocation, client-authenticated the same way.
    const active = await client.tokenIntrospection(config, refreshed.access_token);
    expect(active).toMatchObject({ active: true, client_id: partner.clientId, iss: issuer });
    await client.tokenRevocation(config, refreshed.refresh_token!);
    await expect(client.tokenIntrospection(config, refreshed.access_token)).resolves.toEqual({
      active: false,
    });
  });

  it('refuses an authorization response whose iss is missing or names another server (RFC 9207)', async () => {
    const config = await discover();
    const state = client.randomState();
    const codeVerifier = client.randomPKCECodeVerifier();
    const approved = await approveInBrowser(
      client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        scope: 'promotions:read',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
      }),
    );
    const callback = new URL(approved.headers.get('location')!);
    const forged = new URL(callback);
    forged.searchParams.set('iss', 'https://mix-up.invalid');
    await expect(
      client.authorizationCodeGrant(config, forged, { pkceCodeVerifier: codeVerifier, expectedState: state }),
    ).rejects.toMatchObject({
      code: 'OAUTH_INVALID_RESPONSE',
      cause: { message: 'unexpected "iss" (issuer) response parameter value' },
    });
    const stripped = new URL(callback);
    stripped.searchParams.delete('iss');
    await expect(
      client.authorizationCodeGrant(config, stripped, {
        pkceCodeVerifier: codeVerifier,
        expectedState: state,
      }),
    ).rejects.toMatchObject({
      code: 'OAUTH_INVALID_RESPONSE',
      cause: { message: 'response parameter "iss" (issuer) missing' },
    });
    // The genuine response still works: the refusals happened before the code was sent.
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
    });
    expect(tokens.scope).toBe('promotions:read');
  });

  it('reads a denial as an RFC 6749 error, iss included', async () => {
    const config = await discover();
    const state = client.randomState();
    const page = await fetch(
      client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
        state,
      }),
    );
    const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!;
    const denied = await fetch(new URL('/oauth/authorize', issuer), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ ...hiddenInputs(await page.text()), decision: 'deny' }).toString(),
    });
    expect(denied.status).toBe(303);
    await expect(
      client.authorizationCodeGrant(config, new URL(denied.headers.get('location')!), {
        pkceCodeVerifier: client.randomPKCECodeVerifier(),
        expectedState: state,
      }),
    ).rejects.toMatchObject({ code: 'OAUTH_AUTHORIZATION_RESPONSE_ERROR', error: 'access_denied' });
  });

  it.each([
    ['client_secret_basic', client.ClientSecretBasic()],
    ['client_secret_post', client.ClientSecretPost()],
  ])('gets an app token by client credentials (%s)', async (_name, auth) => {
    const config = await discover(auth);
    const app = await client.clientCredentialsGrant(config, { scope: 'promotions:read' });
    expect(app).toMatchObject({ token_type: 'bearer', scope: 'promotions:read' });
    expect(app.refresh_token).toBeUndefined();
  });
});

describe('oauth4webapi 3 directly', () => {
  it('validates discovery, the authorization response (iss and state) and the code exchange', async () => {
    const as = await oauth.processDiscoveryResponse(
      new URL(issuer),
      await oauth.discoveryRequest(new URL(issuer), {
        algorithm: 'oauth2',
        [oauth.allowInsecureRequests]: true,
      }),
    );
    const oauthClient: oauth.Client = { client_id: partner.clientId };
    const auth = oauth.ClientSecretBasic(partner.clientSecret);
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: partner.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'promotions:write',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    const approved = await approveInBrowser(url);
    const params = oauth.validateAuthResponse(
      as,
      oauthClient,
      new URL(approved.headers.get('location')!),
      state,
    );
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      oauthClient,
      auth,
      params,
      REDIRECT_URI,
      codeVerifier,
      { [oauth.allowInsecureRequests]: true },
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, oauthClient, response);
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'promotions:write', expires_in: 3600 });
  });
});

describe('a spent request limit, as a strict client sees it', () => {
  let limited: { ctx: TestContext; issuer: string };
  beforeAll(async () => {
    limited = await listeningApp({ RATE_LIMIT_IP_PER_HOUR: '1' });
  });
  afterAll(async () => {
    assertNoViolations(limited.ctx.violations.splice(0));
    await limited.ctx.app.close();
    await limited.ctx.db.drop();
  });

  it('is an RFC 6749 error with Retry-After that openid-client can read (issue 21 item 7)', async () => {
    const p = await limited.ctx.fixtures.partner();
    const config = await client.discovery(
      new URL(limited.issuer),
      p.clientId,
      p.clientSecret,
      client.ClientSecretBasic(),
      { algorithm: 'oauth2', execute: [client.allowInsecureRequests] },
    );
    await client.clientCredentialsGrant(config);
    const error = await client.clientCredentialsGrant(config).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(client.ResponseBodyError);
    const { status, error: code, response } = error as client.ResponseBodyError;
    expect({ status, code }).toEqual({ status: 429, code: 'temporarily_unavailable' });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
