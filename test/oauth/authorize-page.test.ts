// GET /oauth/authorize (and its /v2/authorize alias): the login-and-consent page with its safety
// headers, the error page for a request it cannot trust, and the redirects once it can.
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import {
  authorizeQuery,
  expectSafePage,
  expectUnstorableValuePage,
  hiddenInputs,
  ISSUER,
  openConsent,
  pkcePair,
  REDIRECT_URI,
  redirectParams,
} from './oauth-helpers.js';

const ctx = useTestApp();
const { challenge } = pkcePair();

describe('GET /oauth/authorize', () => {
  it('renders the login-and-consent page with the form contract and safety headers', async () => {
    const partner = await ctx.fixtures.partner({ name: 'Acme <script>alert("x")</script> & Co' });
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/oauth/authorize?${authorizeQuery(partner, challenge)}`,
    });
    expect(res.statusCode).toBe(200);
    expectSafePage(res.headers);
    expect(res.headers['set-cookie']).toMatch(
      /^oauth_csrf=[A-Za-z0-9_-]{22}; Path=\/; Max-Age=1800; HttpOnly; SameSite=Lax$/,
    );
    const html = res.body;
    // The partner's name is escaped, never markup; there is no script anywhere.
    expect(html).toContain('Acme &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<li>View usage of promotions you manage on an account</li>');
    expect(html).toContain('<li>Enroll or unenroll accounts into promotions</li>');
    expect(html).toContain('<form method="POST" action="/oauth/authorize">');
    expect(html).toMatch(/<input type="email" id="email" name="email"/);
    expect(html).toMatch(/<input type="password" id="password" name="password"/);
    expect(html).toContain('<button type="submit" name="decision" value="approve">Approve</button>');
    expect(html).toContain('<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>');
    expect(hiddenInputs(html)).toEqual({
      response_type: 'code',
      client_id: partner.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'promotions:read promotions:write',
      state: 'st-123',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      csrf_token: expect.stringMatching(/^\d+\.[A-Za-z0-9_-]{43}$/),
    });
  });

  it('names only the scopes asked for, and defaults to all the partner may have', async () => {
    const partner = await ctx.fixtures.partner({ scopes: ['promotions:read'] });
    const narrow = await openConsent(ctx, authorizeQuery(partner, challenge, { scope: undefined }));
    expect(narrow.fields.scope).toBe('promotions:read');
    expect(narrow.res.body).not.toContain('Enroll or unenroll');
  });

  it('keeps the browser nonce it already set, so two tabs both work', async () => {
    const partner = await ctx.fixtures.partner();
    const first = await openConsent(ctx, authorizeQuery(partner, challenge));
    const again = await ctx.app.inject({
      method: 'GET',
      url: `/oauth/authorize?${authorizeQuery(partner, challenge)}`,
      headers: { cookie: first.cookie },
    });
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    ['no client_id', { client_id: undefined }, 'The request has no client_id.'],
    ['an unknown client_id', { client_id: 'ci_nobody' }, 'No application is registered with this client_id.'],
    ['no redirect_uri', { redirect_uri: undefined }, 'The request has no redirect_uri.'],
    [
      'a redirect_uri that is not registered',
      { redirect_uri: 'https://evil.example/callback' },
      'The redirect_uri does not match any redirect URI registered for this application.',
    ],
    [
      'a redirect_uri that only differs by a trailing slash',
      { redirect_uri: `${REDIRECT_URI}/` },
      'The redirect_uri does not match any redirect URI registered for this application.',
    ],
  ])('shows an error page (400, never a redirect) for %s', async (_name, overrides, message) => {
    const partner = await ctx.fixtures.partner();
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/oauth/authorize?${authorizeQuery(partner, challenge, overrides)}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expectSafePage(res.headers, '');
    expect(res.body).toContain(`<p>${message}</p>`);
  });

  it('shows an error page when client_id or redirect_uri is repeated', async () => {
    const partner = await ctx.fixtures.partner();
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/oauth/authorize?${authorizeQuery(partner, challenge)}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<p>The redirect_uri parameter is repeated.</p>');
  });

  it.each(['/oauth/authorize', '/v2/authorize'])(
    '%s shows the 400 error page, never the API envelope, for a client_id PostgreSQL refuses (a NUL byte)',
    async (path) => {
      const res = await ctx.app.inject({ method: 'GET', url: `${path}?client_id=a%00b` });
      expectUnstorableValuePage(res);
    },
  );

  it.each([
    [
      'no response_type',
      { response_type: undefined },
      'invalid_request',
      'The response_type parameter is required.',
    ],
    [
      'response_type=token',
      { response_type: 'token' },
      'unsupported_response_type',
      'Only response_type=code is supported.',
    ],
    [
      'an unknown scope',
      { scope: 'promotions:admin' },
      'invalid_scope',
      'The requested scope is invalid, unknown, or exceeds what the client may request.',
    ],
    [
      'no code_challenge',
      { code_challenge: undefined },
      'invalid_request',
      'PKCE is required: send code_challenge and code_challenge_method=S256.',
    ],
    [
      'code_challenge_method=plain',
      { code_challenge_method: 'plain' },
      'invalid_request',
      'code_challenge_method must be S256; plain is not supported.',
    ],
    [
      'no code_challenge_method (plain by default)',
      { code_challenge_method: undefined },
      'invalid_request',
      'code_challenge_method must be S256; plain is not supported.',
    ],
    [
      'a malformed code_challenge',
      { code_challenge: 'short' },
      'invalid_request',
      'code_challenge must be the 43-character BASE64URL(SHA256(code_verifier)).',
    ],
  ])('redirects %s back to the client with error and state', async (_name, overrides, error, description) => {
    const partner = await ctx.fixtures.partner();
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/oauth/authorize?${authorizeQuery(partner, challenge, overrides)}`,
    });
    expect(res.statusCode).toBe(302);
    expect(res.body).toBe('');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(redirectParams(res.headers.location)).toEqual({
      error,
      error_description: description,
      state: 'st-123',
      iss: ISSUER,
    });
  });

  it('redirects invalid_scope for a scope the partner may not have', async () => {
    const partner = await ctx.fixtures.partner({ scopes: ['promotions:read'] });
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/oauth/authorize?${authorizeQuery(partner, challenge, { scope: 'promotions:write', state: undefined })}`,
    });
    expect(res.statusCode).toBe(302);
    // No state was sent, so none comes back; the issuer always does (RFC 9207).
    expect(redirectParams(res.headers.location)).toEqual({
      error: 'invalid_scope',
      error_description: 'The requested scope is invalid, unknown, or exceeds what the client may request.',
      iss: ISSUER,
    });
  });

  it('keeps the query a registered redirect URI already has', async () => {
    const registered = 'http://127.0.0.1:4000/cb?tenant=7';
    const partner = await ctx.fixtures.partner({ redirectUris: [registered] });
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/oauth/authorize?${authorizeQuery(partner, challenge, { redirect_uri: registered, response_type: 'token' })}`,
    });
    expect(res.headers.location).toBe(
      'http://127.0.0.1:4000/cb?tenant=7&error=unsupported_response_type&error_description=Only+response_type%3Dcode+is+supported.&state=st-123&iss=http%3A%2F%2F127.0.0.1%3A3000',
    );
  });

  it('redirects invalid_request for a repeated parameter once the redirect URI is trusted', async () => {
    const partner = await ctx.fixtures.partner();
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/oauth/authorize?${authorizeQuery(partner, challenge)}&scope=promotions%3Aread`,
    });
    expect(res.statusCode).toBe(302);
    expect(redirectParams(res.headers.location)).toEqual({
      error: 'invalid_request',
      error_description: 'The scope parameter is repeated.',
      state: 'st-123',
      iss: ISSUER,
    });
  });

  it('serves the same page at the /v2/authorize alias', async () => {
    const partner = await ctx.fixtures.partner();
    const page = await openConsent(ctx, authorizeQuery(partner, challenge), '/v2/authorize');
    expectSafePage(page.res.headers);
    expect(page.fields.client_id).toBe(partner.clientId);
  });
});
