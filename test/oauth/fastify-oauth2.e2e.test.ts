// End to end with a real OAuth client: a partner app built on @fastify/oauth2 (PKCE S256)
// signs a user in through our consent page, exchanges the code, refreshes, enrolls the
// user with the token, and revokes it — all over real HTTP against a listening server.
import oauthPlugin, { type OAuth2Namespace } from '@fastify/oauth2';
import { eq } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partners } from '../../src/db/schema.js';
import { PASSWORD, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { hiddenInputs } from './oauth-helpers.js';

declare module 'fastify' {
  interface FastifyInstance {
    acme: OAuth2Namespace;
  }
}

const ctx = useTestApp();
let partnerApp: FastifyInstance;
let serverBase: string;
let partnerBase: string;
let partner: PartnerFixture;
let promotionId: string;
let email: string;

/** Cookies of one browser, per host, as `name=value` pairs. */
class CookieJar {
  private jar = new Map<string, Map<string, string>>();
  store(url: string, res: Response) {
    const host = new URL(url).host;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    this.jar.set(host, cookies);
  }
  header(url: string): string {
    const cookies = this.jar.get(new URL(url).host) ?? new Map();
    return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function browse(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header(url) },
  });
  jar.store(url, res);
  return res;
}

beforeAll(async () => {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  serverBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  partner = await ctx.fixtures.partner({ name: 'Acme Automations' });
  promotionId = await ctx.fixtures.promotion(partner.id);
  email = (await ctx.fixtures.account()).email;

  partnerApp = Fastify();
  await partnerApp.register(oauthPlugin, {
    name: 'acme',
    scope: ['promotions:read', 'promotions:write'],
    credentials: {
      client: { id: partner.clientId, secret: partner.clientSecret },
      auth: {
        tokenHost: serverBase,
        tokenPath: '/oauth/token',
        authorizePath: '/oauth/authorize',
        revokePath: '/oauth/revoke',
      },
    },
    startRedirectPath: '/login',
    callbackUri: () => `${partnerBase}/callback`,
    pkce: 'S256',
  });
  partnerApp.get('/callback', async (request, reply) => {
    const { token } = await partnerApp.acme.getAccessTokenFromAuthorizationCodeFlow(request, reply);
    const { token: refreshed } = await partnerApp.acme.getNewAccessTokenUsingRefreshToken(token, {});
    const enroll = await fetch(`${serverBase}/v2/promotions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${refreshed.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ promotion_id: promotionId }),
    });
    await partnerApp.acme.revokeToken(refreshed, 'refresh_token', undefined);
    return { token, refreshed, enroll: { status: enroll.status, body: await enroll.json() } };
  });
  partnerBase = await partnerApp.listen({ port: 0, host: '127.0.0.1' });
  // The partner's port is known only now: register its callback as its redirect URI.
  await ctx.app.db
    .update(partners)
    .set({ redirectUris: [`${partnerBase}/callback`] })
    .where(eq(partners.id, partner.id));
});

afterAll(async () => {
  await partnerApp?.close();
});

describe('a partner built on @fastify/oauth2', () => {
  it('gets a user token through the consent page and enrolls its user', async () => {
    const browser = new CookieJar();

    // 1. The partner sends the browser to our authorization endpoint, with PKCE S256.
    const start = await browse(browser, `${partnerBase}/login`);
    expect(start.status).toBe(302);
    const authorizeUrl = new URL(start.headers.get('location')!);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${serverBase}/oauth/authorize`);
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');

    // 2. Our consent page; the user fills in the form and approves.
    const page = await browse(browser, authorizeUrl.toString());
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Acme Automations');
    const form = new URLSearchParams({
      ...hiddenInputs(html),
      email,
      password: PASSWORD,
      decision: 'approve',
    });
    const approved = await browse(browser, `${serverBase}/oauth/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(approved.status).toBe(303);
    const callback = approved.headers.get('location')!;
    expect(callback.startsWith(`${partnerBase}/callback?code=ac_`)).toBe(true);

    // 3. Back at the partner: @fastify/oauth2 checks the state, exchanges the code with the
    //    verifier, refreshes, and the partner enrolls its user with the token.
    const done = await browse(browser, callback);
    expect(done.status).toBe(200);
    const result = (await done.json()) as {
      token: Record<string, unknown>;
      refreshed: { access_token: string; refresh_token: string };
      enroll: { status: number; body: { enrollment_id: string } };
    };
    expect(result.token).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'promotions:read promotions:write',
      access_token: expect.stringMatching(/^at_/),
      refresh_token: expect.stringMatching(/^rt_/),
    });
    expect(result.refreshed.refresh_token).not.toBe(result.token.refresh_token);
    expect(result.enroll).toEqual({
      status: 201,
      body: { enrollment_id: expect.stringMatching(new RegExp(`^${promotionId}:[0-9a-f-]{36}$`)) },
    });

    // 4. The partner revoked its grant: the token no longer works.
    const after = await fetch(`${serverBase}/v2/promotions/${result.enroll.body.enrollment_id}`, {
      headers: { authorization: `Bearer ${result.refreshed.access_token}` },
    });
    expect(after.status).toBe(401);
  });
});
