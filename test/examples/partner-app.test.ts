import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPartnerApp,
  loadPartnerConfig,
  type PartnerConfig,
  type SessionStore,
} from '../../examples/partner-app/app.js';
import { listen } from '../clients/helpers.js';
import { PASSWORD, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { freePort } from '../helpers/processes.js';
import { hiddenInputs } from '../oauth/oauth-helpers.js';

/** name=value of each Set-Cookie header. */
function cookies(header: string | string[] | undefined): Record<string, string> {
  const list = Array.isArray(header) ? header : header ? [header] : [];
  return Object.fromEntries(list.map((c) => c.split(';')[0]!.split('=') as [string, string]));
}

/** One browser's cookies, per origin (host:port), as `name=value` pairs. */
class CookieJar {
  private readonly jar = new Map<string, Map<string, string>>();
  names(url: string): string[] {
    return [...(this.jar.get(new URL(url).host)?.keys() ?? [])].sort();
  }
  header(url: string): string {
    return [...(this.jar.get(new URL(url).host) ?? [])].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  store(url: string, res: Response): void {
    const host = new URL(url).host;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      // A cleared cookie (empty value or Max-Age=0) leaves the jar.
      if (value === '' || /;\s*max-age=0/i.test(line)) cookies.delete(pair.slice(0, at));
      else cookies.set(pair.slice(0, at), value);
    }
    this.jar.set(host, cookies);
  }
}

/** A request as a browser makes it: its cookies for that origin, redirects not followed. */
async function browse(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const cookie = jar.header(url);
  const res = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
  });
  jar.store(url, res);
  return res;
}

describe('examples/partner-app', { timeout: 120_000 }, () => {
  const ctx = useTestApp();
  const sessions: SessionStore = new Map();
  let partner: PartnerFixture;
  let promotionId: string;
  let config: PartnerConfig;
  let app: FastifyInstance;

  beforeAll(async () => {
    partner = await ctx.fixtures.partner();
    promotionId = await ctx.fixtures.promotion(partner.id);
    config = loadPartnerConfig({
      PROMOTIONS_URL: `${await listen(ctx.app)}/`,
      CLIENT_ID: partner.clientId,
      CLIENT_SECRET: partner.clientSecret,
      PROMOTION_ID: promotionId,
    });
    app = await buildPartnerApp(config, { sessions });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('reads its configuration from the environment, with the documented defaults', () => {
    expect(config).toEqual({
      promotionsUrl: config.promotionsUrl.replace(/\/$/, ''),
      clientId: partner.clientId,
      clientSecret: partner.clientSecret,
      promotionId,
      host: '127.0.0.1',
      port: 4000,
      callbackUrl: 'http://127.0.0.1:4000/callback',
    });
    expect(() => loadPartnerConfig({})).toThrow(
      "CLIENT_ID and CLIENT_SECRET must be set: the demo partner's values are printed by the promotions server on its first start",
    );
  });

  it('shows "Connect your account" first', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<h1>Connect your account</h1>');
    expect(res.body).toContain('<a class="button" id="connect" href="/connect">Connect your account</a>');
  });

  it('connects through /oauth/authorize with PKCE S256, its client_id and its redirect_uri', async () => {
    const res = await app.inject({ method: 'GET', url: '/connect' });
    expect(res.statusCode).toBe(302);
    const location = new URL(String(res.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(`${config.promotionsUrl}/oauth/authorize`);
    const params = Object.fromEntries(location.searchParams);
    const set = cookies(res.headers['set-cookie']);
    const verifier = set['oauth2-code-verifier']!;
    expect(params).toEqual({
      response_type: 'code',
      client_id: partner.clientId,
      redirect_uri: 'http://127.0.0.1:4000/callback',
      scope: 'promotions:read promotions:write',
      state: set['oauth2-redirect-state'],
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    expect(verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
  });

  it('refuses a callback whose state does not match, and reports a declined consent', async () => {
    const forged = await app.inject({ method: 'GET', url: '/callback?code=abc&state=forged' });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('<h1>Connection failed</h1>');

    const declined = await app.inject({ method: 'GET', url: '/callback?error=access_denied&state=x' });
    expect(declined.statusCode).toBe(303);
    const home = await app.inject({
      method: 'GET',
      url: '/',
      cookies: { partner_session: cookies(declined.headers['set-cookie']).partner_session! },
    });
    expect(home.body).toContain('<p class="error">You declined the connection.</p>');
  });

  // The page logic alone: the session is given the token an operator would mint (the real
  // consent + code exchange is the next test).
  it('enrolls with the typed client and shows the enrollment usage', async () => {
    const account = await ctx.fixtures.account();
    const token = await ctx.fixtures.userToken(partner.id, account.id);
    sessions.set('s1', {
      token: {
        token_type: 'Bearer',
        access_token: token,
        expires_in: 3600,
        expires_at: new Date(Date.now() + 3_600_000),
      },
    });
    const cookie = { partner_session: 's1' };

    const connected = await app.inject({ method: 'GET', url: '/', cookies: cookie });
    expect(connected.body).toContain('<h1>Enroll into the demo promotion</h1>');
    expect(connected.body).toContain(`<button type="submit" id="enroll">Enroll into ${promotionId}</button>`);

    const enrolled = await app.inject({ method: 'POST', url: '/enroll', cookies: cookie });
    expect(enrolled.statusCode).toBe(303);
    expect(enrolled.headers.location).toBe('/');
    const enrollmentId = sessions.get('s1')?.enrollmentId;
    expect(enrollmentId).toMatch(new RegExp(`^${promotionId}:[0-9a-f-]{36}$`));

    const usage = await app.inject({ method: 'GET', url: '/', cookies: cookie });
    expect(usage.body).toContain(`<tr><th>Enrollment</th><td><code>${enrollmentId}</code></td></tr>`);
    expect(usage.body).toContain('<tr><th>Status</th><td>enrolled</td></tr>');
    expect(usage.body).toContain('<tr><th>Tasks used this month</th><td><strong>0</strong> of 5</td></tr>');
    expect(usage.body).toContain('<tr><th>Expires</th><td>2026-07-26T23:59:59Z</td></tr>');
    expect(usage.body).not.toContain('id="enroll"');

    // Enrolling again answers 409; the app says why.
    sessions.get('s1')!.enrollmentId = undefined;
    await app.inject({ method: 'POST', url: '/enroll', cookies: cookie });
    const again = await app.inject({ method: 'GET', url: '/', cookies: cookie });
    expect(again.body).toMatch(/<p class="error">.+ \(already_enrolled\)<\/p>/);
  });

  it('connects through the real OAuth flow (consent, PKCE, code exchange), enrolls and shows the usage', async () => {
    // The partner app listens on a free port; its own /callback is the partner's redirect URI.
    const port = await freePort();
    const callbackUrl = `http://127.0.0.1:${port}/callback`;
    const real = await ctx.fixtures.partner({ name: 'Acme Real', redirectUris: [callbackUrl] });
    const realPromotion = await ctx.fixtures.promotion(real.id);
    const account = await ctx.fixtures.account();
    const realConfig = loadPartnerConfig({
      PROMOTIONS_URL: config.promotionsUrl,
      CLIENT_ID: real.clientId,
      CLIENT_SECRET: real.clientSecret,
      PROMOTION_ID: realPromotion,
      PORT: String(port),
      CALLBACK_URL: callbackUrl,
    });
    expect(realConfig.port).toBe(port);
    const realSessions: SessionStore = new Map();
    const partnerApp = await buildPartnerApp(realConfig, { sessions: realSessions });
    try {
      const partnerBase = await partnerApp.listen({ host: realConfig.host, port: realConfig.port });
      expect(partnerBase).toBe(`http://127.0.0.1:${port}`);
      const browser = new CookieJar();

      // 1. "Connect your account": the partner sends the browser to our consent page (PKCE S256).
      const connect = await browse(browser, `${partnerBase}/connect`);
      expect(connect.status).toBe(302);
      expect(browser.names(partnerBase)).toEqual(['oauth2-code-verifier', 'oauth2-redirect-state']);
      const authorizeUrl = new URL(connect.headers.get('location')!);
      expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(
        `${config.promotionsUrl}/oauth/authorize`,
      );
      expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(callbackUrl);
      expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');

      // 2. Our consent page; the user signs in and approves, the form keeping the CSRF cookie.
      const consent = await browse(browser, authorizeUrl.toString());
      expect(consent.status).toBe(200);
      expect(consent.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(browser.names(config.promotionsUrl)).toContain('oauth_csrf');
      const html = await consent.text();
      expect(html).toContain('Acme Real');
      const approved = await browse(browser, `${config.promotionsUrl}/oauth/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          ...hiddenInputs(html),
          email: account.email,
          password: PASSWORD,
          decision: 'approve',
        }).toString(),
      });
      expect(approved.status).toBe(303);
      const callback = new URL(approved.headers.get('location')!);
      expect(`${callback.origin}${callback.pathname}`).toBe(callbackUrl);
      expect(callback.searchParams.get('code')).toMatch(/^ac_/);
      expect(callback.searchParams.get('state')).toBe(authorizeUrl.searchParams.get('state'));

      // 3. Back at the partner: @fastify/oauth2 checks the state and exchanges the code with the verifier.
      const exchanged = await browse(browser, callback.toString());
      expect(exchanged.status).toBe(303);
      expect(exchanged.headers.get('location')).toBe('/');
      expect(browser.names(partnerBase)).toContain('partner_session');
      const [session] = [...realSessions.values()];
      expect(realSessions.size).toBe(1);
      expect(session?.token).toMatchObject({
        token_type: 'Bearer',
        scope: 'promotions:read promotions:write',
        access_token: expect.stringMatching(/^at_/),
        refresh_token: expect.stringMatching(/^rt_/),
      });

      const connected = await browse(browser, `${partnerBase}/`);
      expect(connected.status).toBe(200);
      expect(await connected.text()).toContain(
        `<button type="submit" id="enroll">Enroll into ${realPromotion}</button>`,
      );

      // 4. Enroll with the user token the exchange gave, then the page shows the usage.
      const enrolled = await browse(browser, `${partnerBase}/enroll`, { method: 'POST' });
      expect(enrolled.status).toBe(303);
      expect(enrolled.headers.get('location')).toBe('/');
      const enrollmentId = session?.enrollmentId;
      expect(enrollmentId).toMatch(new RegExp(`^${realPromotion}:[0-9a-f-]{36}$`));

      const usage = await browse(browser, `${partnerBase}/`);
      expect(usage.status).toBe(200);
      const body = await usage.text();
      expect(body).toContain('<h1>Enroll into the demo promotion</h1>');
      expect(body).toContain(`<tr><th>Enrollment</th><td><code>${enrollmentId}</code></td></tr>`);
      expect(body).toContain('<tr><th>Status</th><td>enrolled</td></tr>');
      expect(body).toContain('<tr><th>Tasks used this month</th><td><strong>0</strong> of 5</td></tr>');
      expect(body).toContain('<tr><th>Expires</th><td>2026-07-26T23:59:59Z</td></tr>');
      expect(body).not.toContain('id="enroll"');

      // The enrollment belongs to the account that signed in on the consent page.
      const listed = await ctx.admin({
        method: 'GET',
        url: `/admin/v1/promotions/${realPromotion}/enrollments`,
      });
      expect(listed.statusCode).toBe(200);
      expect(listed.json().data).toEqual([
        expect.objectContaining({ enrollment_id: enrollmentId, account_id: account.id }),
      ]);
    } finally {
      await partnerApp.close();
    }
  });

  it('starts as `npm run example:partner` (tsx examples/partner-app/server.ts) and says where', async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', 'examples/partner-app/server.ts'],
      {
        env: {
          PATH: process.env.PATH,
          PORT: '0',
          PROMOTIONS_URL: config.promotionsUrl,
          CLIENT_ID: partner.clientId,
          CLIENT_SECRET: partner.clientSecret,
        },
      },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (chunk) => {
          out += chunk;
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const match =
        /^Partner app on (http:\/\/127\.0\.0\.1:\d+) \(promotions server (\S+), callback (\S+)\)$/.exec(line);
      expect(match?.slice(2)).toEqual([config.promotionsUrl, 'http://127.0.0.1:0/callback']);
      const home = await fetch(`${match![1]}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('<h1>Connect your account</h1>');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('exits 1 with a clear line when CLIENT_ID is missing', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/partner-app/server.ts'], {
      env: { PATH: process.env.PATH, CLIENT_SECRET: 'x' },
    });
    let err = '';
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toBe(
      "partner app: CLIENT_ID must be set: the demo partner's values are printed by the promotions server on its first start\n",
    );
  });
});
