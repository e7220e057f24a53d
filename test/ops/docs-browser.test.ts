import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { launchBrowser } from '../helpers/browser.js';

describe('/docs in a real browser', { timeout: 120_000 }, () => {
  const ctx = useTestApp();
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const address = ctx.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    base = `http://127.0.0.1:${address.port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the three /v2/promotions operations without a request leaving 127.0.0.1', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const requested: string[] = [];
    const pageErrors: string[] = [];
    const cspViolations: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
    });

    const response = await page.goto(`${base}/docs`);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/docs/');

    // Scalar renders operations lazily as they scroll into view; the first one and the tag's
    // operation list (method and path of each) are on screen at once.
    await page.getByRole('heading', { name: 'Create a promotion enrollment' }).first().waitFor();
    // innerText holds only rendered, visible text (a string: the function runs in the page).
    const visibleText = "document.body.innerText.replace(/\\s+/g, ' ')";
    await page.waitForFunction(
      `${visibleText}.includes('POST /v2/promotions GET') &&
       ${visibleText}.includes('GET /v2/promotions/{enrollment_id}') &&
       ${visibleText}.includes('DELETE /v2/promotions/{enrollment_id}')`,
    );
    // Each operation once: Zapier's second tag (Experimental) is no section of its own.
    const titles = await page.evaluate(
      `[...document.querySelectorAll('h1, h2, h3, [role="heading"], nav a, nav button, aside a, aside button, li')]
        .map((e) => e.textContent.replace(/\\s+/g, ' ').trim())`,
    );
    expect(titles).not.toContain('Experimental');
    expect(
      await page.evaluate(`document.body.innerText.split('Create a promotion enrollment').length - 1`),
    ).toBe(
      2, // the sidebar entry and the operation's heading
    );
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/docs.png' });

    const offsite = requested.filter((url) => new URL(url).hostname !== '127.0.0.1');
    expect(offsite).toEqual([]);
    // The bundle, the bootstrap and the three contract files, all from this server.
    expect(requested).toEqual(
      expect.arrayContaining([
        `${base}/docs/js/scalar.js`,
        `${base}/openapi.yaml`,
        `${base}/openapi/oauth.yaml`,
        `${base}/openapi/admin.yaml`,
      ]),
    );
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
    await page.close();
  });
});

describe('/docs over HTTP', () => {
  const ctx = useTestApp();

  it('redirects /docs to /docs/ so the relative bundle URL resolves', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/docs/');
  });

  it('serves the page with a hash-pinned CSP and the bundle from this server', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<script src="js/scalar.js"></script>');
    expect(res.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z0-9.-]+\.[a-z]{2,}\/[^"']*\.(js|css)/i);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/^default-src 'none'; script-src 'self' 'sha256-[A-Za-z0-9+/]+=+'; style-src/);
    expect(csp).toContain("connect-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');

    const js = await ctx.app.inject({ method: 'GET', url: '/docs/js/scalar.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBeUndefined();
    expect(js.body.length).toBeGreaterThan(1_000_000);
  });
});
