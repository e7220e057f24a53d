// CONTRACT §11: signing in to the console (the cookie, CSRF on the form, throttling, where it may
// lead) and its sessions (sign-out, expiry, a disabled operator, a changed role).
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/auth/secrets.js';
import { consoleSessions } from '../../src/db/schema.js';
import { OPERATOR_PASSWORD, operatorWithKey } from '../admin/operator-helpers.js';
import { createTestApp, useTestApp } from '../helpers/app.js';
import { csrfOf, FORM, setCookie, signedIn, signIn } from './console-helpers.js';

const ctx = useTestApp();

const signInForm = () => ctx.app.inject({ method: 'GET', url: '/console/sign-in' });
async function postSignIn(fields: Record<string, string>, withToken = true) {
  const form = await signInForm();
  const nonce = setCookie(form, 'console_csrf')!.split(';')[0]!;
  return ctx.app.inject({
    method: 'POST',
    url: '/console/sign-in',
    headers: { ...FORM, cookie: nonce, 'x-forwarded-for': '203.0.113.9' },
    payload: new URLSearchParams({
      ...(withToken ? { csrf_token: csrfOf(form.body) } : {}),
      ...fields,
    }).toString(),
  });
}

describe('signing in', () => {
  it('sends a visitor without a session to the sign-in page and back', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/console/promotions?cursor=x' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/sign-in?next=%2Fconsole%2Fpromotions%3Fcursor%3Dx');
    const post = await ctx.app.inject({
      method: 'POST',
      url: '/console/promotions',
      headers: FORM,
      payload: 'id=x',
    });
    expect(post.statusCode).toBe(401);
    expect(post.body).toContain('Your session has ended.');
  });

  it('starts a session with a hashed, HttpOnly, SameSite=Strict cookie scoped to /console', async () => {
    const { operator } = await operatorWithKey(ctx, 'viewer');
    const res = await postSignIn({
      email: operator.email.toUpperCase(),
      password: OPERATOR_PASSWORD,
      next: '/console/audit-log',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/audit-log');
    const cookie = setCookie(res, 'console_session')!;
    expect(cookie).toMatch(
      /^console_session=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; Path=\/console; Max-Age=43200; HttpOnly; SameSite=Strict$/,
    );
    const [id, secret] = cookie.split(';')[0]!.split('=')[1]!.split('.') as [string, string];
    const [row] = await ctx.app.db.select().from(consoleSessions).where(eq(consoleSessions.id, id));
    expect(row?.secretHash).toBe(sha256(secret));
    expect(row?.expiresAt.toISOString()).toBe('2026-04-28T22:00:00.000Z');
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const secure = await createTestApp({ env: { PUBLIC_URL: 'https://promotions.example' } });
    try {
      const { operator } = await operatorWithKey(secure, 'viewer');
      const browser = await signIn(secure, operator.email, OPERATOR_PASSWORD);
      expect(browser.cookie).toMatch(/^console_session=/);
      const form = await secure.app.inject({ method: 'GET', url: '/console/sign-in' });
      expect(setCookie(form, 'console_csrf')).toMatch(/; SameSite=Strict; Secure$/);
    } finally {
      await secure.app.close();
      await secure.db.drop();
    }
  });

  it('never leads elsewhere after signing in', async () => {
    const { operator } = await operatorWithKey(ctx, 'viewer');
    for (const next of [
      'https://evil.example/console',
      '//evil.example/console',
      '/consolex',
      '/oauth/authorize',
    ]) {
      const res = await postSignIn({ email: operator.email, password: OPERATOR_PASSWORD, next });
      expect(res.statusCode, next).toBe(303);
      expect(res.headers.location, next).toBe('/console/promotions');
    }
  });

  it('refuses a wrong password (401), a form without its CSRF token (403), then throttles (429)', async () => {
    const { operator } = await operatorWithKey(ctx, 'editor');
    const forged = await postSignIn({ email: operator.email, password: OPERATOR_PASSWORD }, false);
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('This form expired. Sign in again.');
    expect(setCookie(forged, 'console_session')).toBeUndefined();
    for (let i = 0; i < 5; i++) {
      const wrong = await postSignIn({ email: operator.email, password: 'not the password' });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.body).toContain('The email or password is incorrect, or the operator is disabled.');
      expect(wrong.body).toContain(`value="${operator.email}"`);
    }
    const throttled = await postSignIn({ email: operator.email, password: OPERATOR_PASSWORD });
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['retry-after']).toBe('900');
    expect(throttled.body).toContain('Too many failed sign-ins.');
    ctx.clock.advance(15 * 60_000 + 1000);
    const later = await postSignIn({ email: operator.email, password: OPERATOR_PASSWORD });
    expect(later.statusCode).toBe(303);
    ctx.clock.set('2026-04-28T10:00:00Z');
  });
});

describe('sessions', () => {
  it('end on sign-out: the cookie is cleared and the session forgotten', async () => {
    const viewer = await signedIn(ctx, 'viewer');
    const page = await viewer.get('/console/promotions');
    const out = await viewer.post('/console/sign-out', {}, page);
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/console/sign-in?notice=signed_out');
    expect(setCookie(out, 'console_session')).toBe(
      'console_session=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict',
    );
    expect((await viewer.get('/console/promotions')).statusCode).toBe(303);
    const id = viewer.cookie.split('=')[1]!.split('.')[0]!;
    expect(await ctx.app.db.select().from(consoleSessions).where(eq(consoleSessions.id, id))).toEqual([]);
  });

  it('expire after 12 hours, stop when the operator is disabled, and follow a role change at once', async () => {
    // A partner, so /console/promotions/new shows its form (its fieldset), not "No partner yet".
    await ctx.fixtures.partner();
    const editor = await signedIn(ctx, 'editor');
    expect((await editor.get('/console/promotions/new')).body).not.toContain('<fieldset disabled>');
    await operatorWithKey(ctx, 'owner'); // another owner, so any can be demoted
    await ctx.app.operatorService.updateOperator(editor.operatorId, { role: 'viewer' });
    const demoted = await editor.get('/console/promotions/new');
    expect(demoted.statusCode).toBe(200);
    expect(demoted.body).toContain('<fieldset disabled>');
    expect(demoted.body).toContain('Needs the editor role; you are a viewer.');

    ctx.clock.advance(12 * 3600_000);
    expect((await editor.get('/console/promotions')).statusCode).toBe(303);
    ctx.clock.set('2026-04-28T10:00:00Z');
    expect((await editor.get('/console/promotions')).statusCode).toBe(200);
    await ctx.app.operatorService.updateOperator(editor.operatorId, { disabled: true });
    expect((await editor.get('/console/promotions')).statusCode).toBe(303);
  });
});
