// The consent page in a real browser (chromium driven by playwright-core, see helpers/browser.ts):
// the user fills in the form, approves, and lands on the partner's redirect URI with code and state.
// The page is saved as test-artifacts/consent.png.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partners } from '../../src/db/schema.js';
import { PASSWORD, useTestApp } from '../helpers/app.js';
import { launchBrowser } from '../helpers/browser.js';
import { pkcePair, token } from './oauth-helpers.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts');

interface BrowserGlobals {
  getComputedStyle(element: unknown): { backgroundColor: string };
}

const ctx = useTestApp();
let browser: Browser;
let callbackServer: Server;
let serverBase: string;
let callbackUri: string;
/** What the partner's callback received. */
const received: URL[] = [];

beforeAll(async () => {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  serverBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  // The partner's side: a tiny server that only records the redirect it gets.
  callbackServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', callbackUri);
    // The browser also asks for /favicon.ico; only the redirect matters.
    if (url.pathname === '/callback') received.push(url);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Partner</title><p>Connected.</p>');
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  const port = (callbackServer.address() as { port: number }).port;
  callbackUri = `http://127.0.0.1:${port}/callback`;

  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => callbackServer?.close(resolve));
});

describe('the consent page in Chromium', () => {
  it('signs in, approves, and lands on the redirect URI with a code that exchanges', async () => {
    const partner = await ctx.fixtures.partner({ name: 'Acme Automations' });
    await ctx.app.db
      .update(partners)
      .set({ redirectUris: [callbackUri] })
      .where(eq(partners.id, partner.id));
    const account = await ctx.fixtures.account();
    const { verifier, challenge } = pkcePair();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: partner.clientId,
      redirect_uri: callbackUri,
      scope: 'promotions:read promotions:write',
      state: 'browser-state-42',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });

    const page = await browser.newPage({ viewport: { width: 800, height: 760 } });
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    const response = await page.goto(`${serverBase}/oauth/authorize?${query}`);
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('Authorize Acme Automations');
    expect(await page.locator('h1').textContent()).toBe('Acme Automations wants to access your account');
    expect(await page.locator('li').allInnerTexts()).toEqual([
      'View usage of promotions you manage on an account',
      'Enroll or unenroll accounts into promotions',
    ]);
    // The inline stylesheet is allowed by its CSP hash, so the page is styled.
    // (The callback runs in the page; this project's tsconfig has no DOM types.)
    const background = await page
      .locator('button[value=approve]')
      .evaluate((el) => (globalThis as unknown as BrowserGlobals).getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(255, 79, 0)');

    await page.fill('#email', account.email);
    await page.fill('#password', PASSWORD);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'consent.png'), fullPage: true });

    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(callbackUri)),
      page.click('button[value=approve]'),
    ]);
    expect(await page.locator('p').textContent()).toBe('Connected.');
    expect(cspViolations).toEqual([]);

    expect(received).toHaveLength(1);
    const landed = received[0]!;
    expect(landed.pathname).toBe('/callback');
    expect(landed.searchParams.get('state')).toBe('browser-state-42');
    const code = landed.searchParams.get('code')!;
    expect(code).toMatch(/^ac_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);

    // The code the browser carried exchanges for tokens.
    const exchanged = await token(ctx, partner, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: callbackUri,
      code_verifier: verifier,
    });
    expect(exchanged.statusCode).toBe(200);
    expect(exchanged.json().scope).toBe('promotions:read promotions:write');
    await page.close();
  });
});
