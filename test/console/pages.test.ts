// CONTRACT §11: the console's pages over HTTP, as a browser without JavaScript reads them — the
// release in the footer, security headers (CSP, no framing, no caching, no inline script), its
// own assets, escaping, pagination, search, CSV links, empty states and 404 pages.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../src/console/routes.js';
import { useTestApp } from '../helpers/app.js';
import { requestsFor } from '../helpers/requests.js';
import { setCookie, signedIn } from './console-helpers.js';

const ctx = useTestApp();
const INLINE_SCRIPT = /<script(?![^>]*\ssrc=)/i;

const signInForm = () => ctx.app.inject({ method: 'GET', url: '/console/sign-in' });

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
