import { describe, expect, it } from 'vitest';
import { EMAIL_FAILURE_LIMIT, IP_FAILURE_LIMIT } from '../../src/auth/login-throttle.js';
import { PASSWORD, useTestApp } from '../helpers/app.js';
import {
  authorizeQuery,
  FORM,
  hiddenInputs,
  openConsent,
  pkcePair,
  REDIRECT_URI,
  submitConsent,
} from './oauth-helpers.js';

const ctx = useTestApp();
const { challenge } = pkcePair();

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

function expectSafePage(headers: Record<string, unknown>, formTarget = ' http://127.0.0.1:4000') {
  expect(headers).toMatchObject(PAGE_HEADERS);
  expect(headers['content-security-policy']).toMatch(
    new RegExp(
      `^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]{44}'; form-action 'self'${formTarget}; frame-ancestors 'none'; base-uri 'none'$`,
    ),
  );
}

/** RFC 9207: the `iss` of every authorization response, PUBLIC_URL's default here. */
const ISSUER = 'http://127.0.0.1:3000';

const redirectParams = (location: unknown) => {
  const url = new URL(location as string);
  expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
  return Object.fromEntries(url.searchParams);
};

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

describe('POST /oauth/authorize', () => {
  it('approves with good credentials: 303 See Other with a code, the state and the issuer', async () => {
    const partner = await ctx.fixtures.partner();
    const account = await ctx.fixtures.account();
    const page = await openConsent(ctx, authorizeQuery(partner, challenge));
    const res = await submitConsent(ctx, page, {
      email: account.email.toUpperCase(),
      password: PASSWORD,
      decision: 'approve',
    });
    // 303: the browser follows with a GET, never re-posting the email and password to the client.
    expect(res.statusCode).toBe(303);
    expect(res.body).toBe('');
    expect(res.headers['cache-control']).toBe('no-store');
    const params = redirectParams(res.headers.location);
    expect(params).toEqual({
      code: expect.stringMatching(/^ac_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/),
      state: 'st-123',
      iss: ISSUER,
    });
    // Stored only as a hash, bound to the request, valid two minutes.
    const [id, secret] = params.code!.slice(3).split('.') as [string, string];
    const { authorizationCodes } = await import('../../src/db/schema.js');
    const { eq } = await import('drizzle-orm');
    const [row] = await ctx.app.db.select().from(authorizationCodes).where(eq(authorizationCodes.id, id));
    expect(row).toMatchObject({
      partnerId: partner.id,
      accountId: account.id,
      redirectUri: REDIRECT_URI,
      scopes: ['promotions:read', 'promotions:write'],
      codeChallenge: challenge,
      usedAt: null,
      expiresAt: new Date('2026-04-28T10:02:00Z'),
    });
    expect(row!.secretHash).not.toContain(secret);
  });

  it('denies: 303 with access_denied, the state and the issuer, whatever the credentials', async () => {
    const partner = await ctx.fixtures.partner();
    const page = await openConsent(ctx, authorizeQuery(partner, challenge));
    const res = await submitConsent(ctx, page, { decision: 'deny' }, { path: '/v2/authorize' });
    expect(res.statusCode).toBe(303);
    expect(redirectParams(res.headers.location)).toEqual({
      error: 'access_denied',
      state: 'st-123',
      iss: ISSUER,
    });
  });

  it('answers bad credentials with the page again, 401, a message and no redirect', async () => {
    const partner = await ctx.fixtures.partner();
    const account = await ctx.fixtures.account();
    const page = await openConsent(ctx, authorizeQuery(partner, challenge));
    for (const [email, password] of [
      [account.email, 'wrong password'],
      ['nobody@example.com', PASSWORD],
    ] as const) {
      const res = await submitConsent(
        ctx,
        page,
        { email, password, decision: 'approve' },
        { remoteAddress: '10.0.0.1' },
      );
      expect(res.statusCode).toBe(401);
      expect(res.headers.location).toBeUndefined();
      expectSafePage(res.headers);
      expect(res.body).toContain('<p class="message" role="alert">The email or password is incorrect.</p>');
      expect(res.body).toContain(`value="${email}"`);
      // A fresh CSRF token for the next attempt.
      expect(hiddenInputs(res.body).csrf_token).toMatch(/^\d+\.[A-Za-z0-9_-]{43}$/);
    }
  });

  it('asks for credentials when approve comes without them', async () => {
    const partner = await ctx.fixtures.partner();
    const page = await openConsent(ctx, authorizeQuery(partner, challenge));
    const res = await submitConsent(ctx, page, { decision: 'approve' });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Enter your email and password to approve.');
  });

  describe('CSRF', () => {
    it.each([
      ['no CSRF token', (f: Record<string, string>) => ({ ...f, csrf_token: '' }), undefined],
      [
        'a forged CSRF token',
        (f: Record<string, string>) => ({ ...f, csrf_token: `9999999999.${'A'.repeat(43)}` }),
        undefined,
      ],
      [
        'an edited hidden field',
        (f: Record<string, string>) => ({ ...f, scope: 'promotions:read' }),
        undefined,
      ],
      ['another browser (no cookie)', (f: Record<string, string>) => f, ''],
      ['another browser (its own cookie)', (f: Record<string, string>) => f, `oauth_csrf=${'B'.repeat(22)}`],
    ])('refuses %s with a 403 page', async (_name, edit, cookie) => {
      const partner = await ctx.fixtures.partner();
      const account = await ctx.fixtures.account();
      const page = await openConsent(ctx, authorizeQuery(partner, challenge));
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/oauth/authorize',
        headers: { ...FORM, ...(cookie === '' ? {} : { cookie: cookie ?? page.cookie }) },
        payload: new URLSearchParams({
          ...edit(page.fields),
          email: account.email,
          password: PASSWORD,
          decision: 'approve',
        }).toString(),
      });
      expect(res.statusCode).toBe(403);
      expect(res.headers.location).toBeUndefined();
      expectSafePage(res.headers, '');
      expect(res.body).toContain('This form could not be verified.');
    });

    it('refuses a token older than 30 minutes', async () => {
      const partner = await ctx.fixtures.partner();
      const account = await ctx.fixtures.account();
      const page = await openConsent(ctx, authorizeQuery(partner, challenge));
      ctx.clock.advance(30 * 60 * 1000);
      try {
        const res = await submitConsent(ctx, page, {
          email: account.email,
          password: PASSWORD,
          decision: 'approve',
        });
        expect(res.statusCode).toBe(403);
      } finally {
        ctx.clock.set('2026-04-28T10:00:00Z');
      }
    });
  });

  it('re-validates the request: a redirect URI removed since the page was shown gives the error page', async () => {
    const partner = await ctx.fixtures.partner({
      redirectUris: [REDIRECT_URI, 'http://127.0.0.1:4000/other'],
    });
    const page = await openConsent(ctx, authorizeQuery(partner, challenge));
    const { partners } = await import('../../src/db/schema.js');
    const { eq } = await import('drizzle-orm');
    await ctx.app.db
      .update(partners)
      .set({ redirectUris: ['http://127.0.0.1:4000/other'] })
      .where(eq(partners.id, partner.id));
    const res = await submitConsent(ctx, page, { decision: 'deny' });
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });

  it('refuses a body that is not a form, and repeated fields, with the error page', async () => {
    const json = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/authorize',
      headers: { 'content-type': 'application/json' },
      payload: { decision: 'approve' },
    });
    expect(json.statusCode).toBe(400);
    expect(json.body).toContain('application/x-www-form-urlencoded');
    const dup = await ctx.app.inject({
      method: 'POST',
      url: '/oauth/authorize',
      headers: FORM,
      payload: 'decision=approve&decision=deny',
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.body).toContain('<p>The decision field is repeated.</p>');
  });

  describe('throttling bad passwords', () => {
    it(`locks an email after ${EMAIL_FAILURE_LIMIT} failures for 15 minutes, even with the right password`, async () => {
      const partner = await ctx.fixtures.partner();
      const account = await ctx.fixtures.account();
      const page = await openConsent(ctx, authorizeQuery(partner, challenge));
      const attempt = (password: string, remoteAddress: string) =>
        submitConsent(ctx, page, { email: account.email, password, decision: 'approve' }, { remoteAddress });
      for (let i = 0; i < EMAIL_FAILURE_LIMIT; i++) {
        // Spread over addresses: the per-email counter is what stops this.
        expect((await attempt('guess', `10.1.0.${i}`)).statusCode).toBe(401);
      }
      ctx.clock.advance(60_000);
      try {
        const locked = await attempt(PASSWORD, '10.1.1.1');
        expect(locked.statusCode).toBe(429);
        expect(locked.headers['retry-after']).toBe('840');
        expect(locked.headers.location).toBeUndefined();
        expectSafePage(locked.headers);
        expect(locked.body).toContain('Too many failed sign-in attempts.');
        ctx.clock.advance(840_000);
        const after = await attempt(PASSWORD, '10.1.1.1');
        expect(after.statusCode).toBe(303);
      } finally {
        ctx.clock.set('2026-04-28T10:00:00Z');
      }
    });

    it('counts failures per IP across emails', async () => {
      const partner = await ctx.fixtures.partner();
      const account = await ctx.fixtures.account();
      const page = await openConsent(ctx, authorizeQuery(partner, challenge));
      for (let i = 0; i < IP_FAILURE_LIMIT; i++) {
        const res = await submitConsent(
          ctx,
          page,
          { email: `guess-${i}@example.com`, password: 'guess', decision: 'approve' },
          { remoteAddress: '10.2.0.1' },
        );
        expect(res.statusCode).toBe(401);
      }
      const good = { email: account.email, password: PASSWORD, decision: 'approve' };
      const locked = await submitConsent(ctx, page, good, { remoteAddress: '10.2.0.1' });
      expect(locked.statusCode).toBe(429);
      expect(locked.headers['retry-after']).toBe('900');
      // Another address is not affected.
      const elsewhere = await submitConsent(ctx, page, good, { remoteAddress: '10.2.0.2' });
      expect(elsewhere.statusCode).toBe(303);
    });
  });
});
