// CONTRACT §11: the console over HTTP, as a browser without JavaScript uses it — security
// headers and cookies, sign-in (CSRF, throttling, where it may lead), sessions (expiry,
// sign-out, a disabled operator, a changed role), CSRF on every form, roles, the audit trail of
// its changes, validation answered on the form, escaping and pagination.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/auth/secrets.js';
import { CONSOLE_CSP } from '../../src/console/routes.js';
import { queryRows } from '../../src/db/client.js';
import { consoleSessions } from '../../src/db/schema.js';
import { OPERATOR_PASSWORD, operatorWithKey } from '../admin/operator-helpers.js';
import { createTestApp, useTestApp } from '../helpers/app.js';
import { requestsFor } from '../helpers/requests.js';
import { csrfOf, FORM, setCookie, signedIn, signIn } from './console-helpers.js';

const ctx = useTestApp();
const INLINE_SCRIPT = /<script(?![^>]*\ssrc=)/i;
const auditCount = async () =>
  (await queryRows<{ n: number }>(ctx.app.db, sql`select count(*)::int as n from admin_audit_log`))[0]!.n;

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

describe('pages and assets', () => {
  it('names the release in the footer of every page, signed in or not (issue 28)', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const build = execFileSync('git', ['describe', '--tags', '--always', '--dirty'], {
      encoding: 'utf8',
    }).trim();
    const footer = `<footer class="foot"><p>Promotions enrollment server ${version} (${build})</p></footer>`;
    expect((await signInForm()).body).toContain(footer);
    const viewer = await signedIn(ctx, 'viewer');
    expect((await viewer.get('/console/promotions')).body).toContain(footer);
    const health = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toEqual({ status: 'ok', version, build });
  });

  it('serve every page with a strict CSP, no framing, no caching, no inline script or style', async () => {
    const res = await signInForm();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(CONSOLE_CSP).toBe(res.headers['content-security-policy']);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(setCookie(res, 'console_csrf')).toMatch(
      /^console_csrf=[A-Za-z0-9_-]{22}; Path=\/console; Max-Age=3600; HttpOnly; SameSite=Strict$/,
    );

    const partner = await ctx.fixtures.partner();
    const promotion = await ctx.fixtures.promotion(partner.id);
    const owner = await signedIn(ctx, 'owner');
    for (const url of [
      '/console/promotions',
      `/console/promotions/${promotion}`,
      '/console/promotions/new',
      '/console/enrollments',
      '/console/partners',
      `/console/partners/${partner.id}`,
      '/console/audit-log',
      '/console/operators',
      `/console/operators/${owner.operatorId}`,
    ]) {
      const page = await owner.get(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-security-policy'], url).toBe(CONSOLE_CSP);
      expect(page.body, url).not.toMatch(INLINE_SCRIPT);
      expect(page.body, url).not.toMatch(/\sstyle=/);
      expect(page.body, url).not.toMatch(
        /https?:\/\/(?!127\.0\.0\.1)[a-z0-9.-]+\.[a-z]{2,}\/[^"']*\.(js|css)/i,
      );
    }
  });

  it('serves the stylesheet and htmx from this server, cacheable for a year', async () => {
    const page = await signInForm();
    const css = /href="(\/console\/assets\/console\.css\?v=[0-9a-f]{12})"/.exec(page.body)![1]!;
    const js = /src="(\/console\/assets\/htmx\.min\.js\?v=[0-9a-f]{12})"/.exec(page.body)![1]!;
    const style = await ctx.app.inject({ method: 'GET', url: css });
    expect(style.statusCode).toBe(200);
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(style.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(style.body).toContain('.chart .bar');
    const script = await ctx.app.inject({ method: 'GET', url: js });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(script.body).toBe(
      readFileSync(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js'), 'utf8'),
    );
  });

  it('answers an unknown console path with a 404 page', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/console/no-such-page' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<h1>Not found</h1>');
  });
});

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

describe('forms', () => {
  it('refuse a post without the session’s CSRF token, or with another session’s, and change nothing', async () => {
    const partner = await ctx.fixtures.partner();
    const owner = await signedIn(ctx, 'owner');
    const other = await signedIn(ctx, 'owner');
    const otherToken = csrfOf((await other.get('/console/promotions')).body);
    const before = await auditCount();
    for (const csrf of ['', otherToken]) {
      const res = await owner.post(
        '/console/promotions',
        { id: 'forged', partner_id: partner.id, name: 'Forged' },
        { csrf },
      );
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('<h1>Form expired</h1>');
    }
    expect(await ctx.app.promotionsRepository.findById('forged')).toBeUndefined();
    expect(await auditCount()).toBe(before);
  });

  it('refuse a change to a role below the one it needs, with a page naming both', async () => {
    const partner = await ctx.fixtures.partner();
    const viewer = await signedIn(ctx, 'viewer');
    const page = await viewer.get('/console/promotions/new');
    expect(page.body).toContain('<fieldset disabled>');
    const before = await auditCount();
    const res = await viewer.post(
      '/console/promotions',
      { id: 'by_viewer', partner_id: partner.id, name: 'x' },
      page,
    );
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('<h1>Permission denied</h1>');
    expect(res.body).toContain(
      'This action needs the editor role; the caller has the viewer role. Ask an owner to change your role.',
    );
    expect(await ctx.app.promotionsRepository.findById('by_viewer')).toBeUndefined();
    expect(await auditCount()).toBe(before);

    const editor = await signedIn(ctx, 'editor');
    const partners = await editor.get('/console/partners');
    const denied = await editor.post(
      '/console/partners',
      { name: 'By editor', redirect_uris: 'https://e.example/cb' },
      partners,
    );
    expect(denied.statusCode).toBe(403);
    expect(denied.body).toContain('This action needs the owner role; the caller has the editor role.');
    expect((await editor.get('/console/operators')).statusCode).toBe(403);
  });

  it('create, edit, pause and end a promotion without JavaScript, each change audited via the console', async () => {
    const partner = await ctx.fixtures.partner({ name: 'Form Partner' });
    const editor = await signedIn(ctx, 'editor');
    const form = await editor.get('/console/promotions/new');
    const created = await editor.post(
      '/console/promotions',
      {
        id: 'form_promo',
        partner_id: partner.id,
        name: 'From a form',
        status: 'active',
        starts_at: '',
        ends_at: '2026-12-31T23:59',
        duration_days: '30',
        task_limit_per_month: '',
        max_enrollments: '50',
      },
      form,
    );
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/console/promotions/form_promo?notice=created');
    const promotion = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/form_promo' });
    expect(promotion.json()).toMatchObject({
      name: 'From a form',
      ends_at: '2026-12-31T23:59:00Z',
      duration_days: 30,
      task_limit_per_month: null,
      max_enrollments: 50,
      allow_reenrollment: false,
    });
    const log = async () =>
      (
        await ctx.admin({
          method: 'GET',
          url: '/admin/v1/audit_log?object_type=promotion&object_id=form_promo',
        })
      ).json().data;
    expect((await log())[0]).toMatchObject({
      action: 'promotion.created',
      actor: { kind: 'session', operator_id: editor.operatorId, email: editor.email, api_key_id: null },
      via: 'console',
    });

    const page = await editor.get('/console/promotions/form_promo');
    expect(page.body).toContain('0 of 50 (0%)');
    const edited = await editor.post(
      '/console/promotions/form_promo',
      {
        name: 'Renamed from a form',
        starts_at: '',
        ends_at: '2026-12-31T23:59:00',
        duration_days: '30',
        task_limit_per_month: '',
        max_enrollments: '50',
      },
      page,
    );
    expect(edited.statusCode).toBe(303);
    expect(edited.headers.location).toBe('/console/promotions/form_promo?notice=saved');
    // Only the field that changed is in the entry.
    expect((await log())[0]).toMatchObject({
      action: 'promotion.updated',
      changes: { name: { before: 'From a form', after: 'Renamed from a form' } },
    });
    expect(Object.keys((await log())[0].changes)).toEqual(['name']);

    const paused = await editor.post('/console/promotions/form_promo/status', { status: 'paused' }, page);
    expect(paused.headers.location).toBe('/console/promotions/form_promo?notice=paused');
    expect((await editor.get(paused.headers.location as string)).body).toContain(
      'The promotion is paused: no new enrollments until it is resumed.',
    );
    const unconfirmed = await editor.post('/console/promotions/form_promo/status', { status: 'ended' }, page);
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('Tick the box to confirm: ending expires every live enrollment now.');
    const ended = await editor.post(
      '/console/promotions/form_promo/status',
      { status: 'ended', confirm: 'true' },
      page,
    );
    expect(ended.statusCode).toBe(303);
    expect(
      (await log()).map((e: { changes: { status?: { after: string } } }) => e.changes.status?.after),
    ).toEqual(['ended', 'paused', undefined, 'active']);
  });

  it('answer a bad or conflicting form on the form itself, values kept, nothing changed', async () => {
    const partner = await ctx.fixtures.partner();
    const existing = await ctx.fixtures.promotion(partner.id);
    const editor = await signedIn(ctx, 'editor');
    const form = await editor.get('/console/promotions/new');
    const bad = await editor.post(
      '/console/promotions',
      { id: 'bad id!', partner_id: partner.id, name: 'Kept name' },
      form,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain(
      'Id: must be 1-64 characters of letters, digits, &quot;_&quot;, &quot;.&quot; or &quot;-&quot;',
    );
    expect(bad.body).toContain('value="Kept name"');
    const taken = await editor.post(
      '/console/promotions',
      { id: existing, partner_id: partner.id, name: 'Again' },
      form,
    );
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain(`A promotion with id ${existing} already exists.`);
    const window = await editor.post(
      '/console/promotions',
      {
        id: 'window_x',
        partner_id: partner.id,
        name: 'W',
        starts_at: '2026-06-01T00:00',
        ends_at: '2026-05-01T00:00',
      },
      form,
    );
    expect(window.statusCode).toBe(400);
    expect(window.body).toContain('Ends at: must be after starts_at');
    expect(await ctx.app.promotionsRepository.findById('window_x')).toBeUndefined();
  });

  it('register a partner and show its secret once, never cached and never in the audit log', async () => {
    const owner = await signedIn(ctx, 'owner');
    const page = await owner.get('/console/partners');
    const res = await owner.post(
      '/console/partners',
      {
        name: 'Console Partner',
        redirect_uris: 'https://cp.example/cb\nhttps://cp.example/cb2',
        sandbox: 'true',
      },
      page,
    );
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const secret = /id="client-secret">(cs_[A-Za-z0-9_-]{43})</.exec(res.body)?.[1];
    expect(secret).toBeDefined();
    const entry = (
      await ctx.admin({ method: 'GET', url: '/admin/v1/audit_log?action=partner.created&limit=1' })
    ).json().data[0];
    expect(entry).toMatchObject({
      via: 'console',
      changes: {
        redirect_uris: { before: null, after: ['https://cp.example/cb', 'https://cp.example/cb2'] },
        sandbox: { before: null, after: true },
      },
    });
    expect(JSON.stringify(entry)).not.toContain(secret!);
  });
});

describe('content', () => {
  it('escapes what operators and partners typed', async () => {
    const partner = await ctx.fixtures.partner({ name: '<img src=x onerror=alert(1)>' });
    const id = await ctx.fixtures.promotion(partner.id);
    await ctx.app.promotionService.update(id, { name: '</td><script>alert("x")</script>' });
    const viewer = await signedIn(ctx, 'viewer');
    const page = await viewer.get(`/console/promotions/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('&lt;/td&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.body).not.toMatch(INLINE_SCRIPT);
    expect(page.body).not.toContain('<img');
  });

  it('pages a long list 25 rows at a time with a Next link', async () => {
    const partner = await ctx.fixtures.partner({ name: 'Many Promotions' });
    for (let i = 0; i < 27; i++)
      await ctx.fixtures.promotion(partner.id, { id: `many_${String(i).padStart(2, '0')}` });
    const viewer = await signedIn(ctx, 'viewer');
    const first = await viewer.get(`/console/promotions?partner_id=${partner.id}`);
    expect(first.body.match(/<tr><td>/g)).toHaveLength(25);
    const next = /<a href="([^"]+)" rel="next"/.exec(first.body)![1]!.replaceAll('&amp;', '&');
    expect(next).toMatch(new RegExp(`^/console/promotions\\?partner_id=${partner.id}&cursor=`));
    const second = await viewer.get(next);
    expect(second.body.match(/<tr><td>/g)).toHaveLength(2);
    expect(second.body).toContain('many_26');
    expect(second.body).not.toContain('rel="next"');
    expect(second.body).toContain('← First page');
  });

  it('finds an enrollment by id: a 303 to its page, or HX-Redirect for htmx', async () => {
    const partner = await ctx.fixtures.partner();
    const promotion = await ctx.fixtures.promotion(partner.id);
    const { enrollmentId } = await requestsFor(ctx, () => partner).enrollNew(promotion);
    const viewer = await signedIn(ctx, 'viewer');
    const url = `/console/enrollments?q=${encodeURIComponent(enrollmentId)}`;
    const plain = await viewer.get(url);
    expect(plain.statusCode).toBe(303);
    expect(plain.headers.location).toBe(`/console/enrollments/${encodeURIComponent(enrollmentId)}`);
    const enhanced = await ctx.app.inject({
      method: 'GET',
      url,
      headers: { cookie: viewer.cookie, 'hx-request': 'true' },
    });
    expect(enhanced.statusCode).toBe(200);
    expect(enhanced.headers['hx-redirect']).toBe(`/console/enrollments/${encodeURIComponent(enrollmentId)}`);
    expect(enhanced.body).toBe('');
  });

  it("links a promotion's enrollments and usage as CSV, the admin API's exports behind the session", async () => {
    const partner = await ctx.fixtures.partner();
    const promotion = await ctx.fixtures.promotion(partner.id, { id: 'console_export' });
    const { enrollmentId } = await requestsFor(ctx, () => partner).enrollNew(promotion);
    const viewer = await signedIn(ctx, 'viewer');
    const page = await viewer.get(`/console/promotions/${promotion}`);
    expect(page.body).toContain(
      '<a class="button secondary" href="/console/promotions/console_export/enrollments.csv" download>Download CSV</a>',
    );
    expect(page.body).toContain(
      '<a class="button secondary" href="/console/promotions/console_export/usage.csv" download>Download usage CSV</a>',
    );
    const csv = await viewer.get('/console/promotions/console_export/enrollments.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="console_export-enrollments-2026-04-28.csv"',
    );
    const api = await ctx.admin({
      method: 'GET',
      url: '/admin/v1/promotions/console_export/enrollments.csv',
    });
    expect(csv.body).toBe(api.body);
    expect(csv.body.split('\r\n')[1]).toMatch(new RegExp(`^${enrollmentId},console_export,`));
    const usage = await viewer.get('/console/promotions/console_export/usage.csv');
    expect(usage.statusCode).toBe(200);
    expect(usage.body).toBe(
      'enrollment_id,promotion_id,account_id,account_email,cycle_start,cycle_end,tasks_used,task_limit_per_month\r\n',
    );
    const signedOut = await ctx.app.inject({
      method: 'GET',
      url: '/console/promotions/console_export/usage.csv',
    });
    expect(signedOut.statusCode).toBe(303);
    expect((await viewer.get('/console/promotions/nope/enrollments.csv')).statusCode).toBe(404);
  });

  it('shows designed empty states and a 404 page for what does not exist', async () => {
    const viewer = await signedIn(ctx, 'viewer');
    const search = await viewer.get('/console/enrollments?q=nobody%40nowhere.example');
    expect(search.statusCode).toBe(404);
    expect(search.body).toContain('No account with this email');
    const missing = await viewer.get('/console/promotions/no_such_promotion');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('<h1>Promotion Not Found</h1>');
    expect(missing.body).toContain('The requested promotion was not found.');
  });
});
