// POST /oauth/authorize: approve or deny on the consent page — credentials, CSRF, re-validation of
// the request, and throttling of bad passwords. The page itself: authorize-page.test.ts.
import { describe, expect, it } from 'vitest';
import { EMAIL_FAILURE_LIMIT, IP_FAILURE_LIMIT } from '../../src/auth/login-throttle.js';
import { PASSWORD, useTestApp } from '../helpers/app.js';
import {
  authorizeQuery,
  expectSafePage,
  expectUnstorableValuePage,
  FORM,
  hiddenInputs,
  ISSUER,
  openConsent,
  pkcePair,
  REDIRECT_URI,
  redirectParams,
  submitConsent,
} from './oauth-helpers.js';

const ctx = useTestApp();
const { challenge } = pkcePair();

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

  it('shows the 400 error page, never the API envelope, for an email PostgreSQL refuses (a NUL byte)', async () => {
    const partner = await ctx.fixtures.partner();
    const page = await openConsent(ctx, authorizeQuery(partner, challenge));
    const res = await submitConsent(ctx, page, {
      email: 'a\u0000b@example.com',
      password: PASSWORD,
      decision: 'approve',
    });
    expectUnstorableValuePage(res);
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
