import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { PASSWORD, type PartnerFixture, type TestContext } from '../helpers/app.js';

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
export const REDIRECT_URI = 'http://127.0.0.1:4000/callback';

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeQuery(
  partner: PartnerFixture,
  challenge: string,
  overrides: Record<string, string | undefined> = {},
): string {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: partner.clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'promotions:read promotions:write',
    state: 'st-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.append(k, v);
  return search.toString();
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The hidden inputs of a consent page, as a browser would post them. */
export function hiddenInputs(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)) {
    fields[m[1]!] = unescapeHtml(m[2]!);
  }
  return fields;
}

/** `name=value` of the CSRF cookie a response set. */
export function cookieOf(res: LightMyRequestResponse): string {
  const set = res.headers['set-cookie'];
  const line = Array.isArray(set) ? set[0] : set;
  return line!.split(';')[0]!;
}

export interface ConsentPage {
  res: LightMyRequestResponse;
  fields: Record<string, string>;
  cookie: string;
}

export async function openConsent(
  ctx: TestContext,
  query: string,
  path = '/oauth/authorize',
): Promise<ConsentPage> {
  const res = await ctx.app.inject({ method: 'GET', url: `${path}?${query}` });
  expect(res.statusCode).toBe(200);
  return { res, fields: hiddenInputs(res.body), cookie: cookieOf(res) };
}

export function submitConsent(
  ctx: TestContext,
  page: ConsentPage,
  fields: Record<string, string>,
  options: { path?: string; remoteAddress?: string } = {},
) {
  return ctx.app.inject({
    method: 'POST',
    url: options.path ?? '/oauth/authorize',
    headers: { ...FORM, cookie: page.cookie },
    payload: new URLSearchParams({ ...page.fields, ...fields }).toString(),
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
}

/** Through the consent page to a code, as the signed-in user approving. */
export async function authorizeCode(
  ctx: TestContext,
  partner: PartnerFixture,
  email: string,
  overrides: Record<string, string | undefined> = {},
): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const page = await openConsent(ctx, authorizeQuery(partner, challenge, overrides));
  const res = await submitConsent(ctx, page, { email, password: PASSWORD, decision: 'approve' });
  expect(res.statusCode).toBe(303);
  const location = new URL(res.headers.location as string);
  return { code: location.searchParams.get('code')!, verifier };
}

export function token(ctx: TestContext, partner: PartnerFixture, params: Record<string, string>) {
  return ctx.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { ...FORM, authorization: basic(partner.clientId, partner.clientSecret) },
    payload: new URLSearchParams(params).toString(),
  });
}

export function exchangeCode(ctx: TestContext, partner: PartnerFixture, code: string, verifier: string) {
  return token(ctx, partner, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
}

/** Enrolls with the token on /v2: 201 when it works, 401 once it is revoked. */
export async function enrollWith(ctx: TestContext, accessToken: string, promotionId: string) {
  return ctx.app.inject({
    method: 'POST',
    url: '/v2/promotions',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    payload: { promotion_id: promotionId },
  });
}

/** GET on /v2 with a token: a cheap "does this token still work" probe. */
export function probe(ctx: TestContext, accessToken: string) {
  return ctx.app.inject({
    method: 'GET',
    url: '/v2/promotions/x:00000000-0000-4000-8000-000000000000',
    headers: { authorization: `Bearer ${accessToken}` },
  });
}

export const REVOKED_CHALLENGE =
  'Bearer realm="promotions", error="invalid_token", error_description="The access token was revoked."';

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** The safety headers of the consent page and of its error page. */
export function expectSafePage(headers: Record<string, unknown>, formTarget = ' http://127.0.0.1:4000') {
  expect(headers).toMatchObject(PAGE_HEADERS);
  expect(headers['content-security-policy']).toMatch(
    new RegExp(
      `^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]{44}'; form-action 'self'${formTarget}; frame-ancestors 'none'; base-uri 'none'$`,
    ),
  );
}

/** The consent page's 400 for a value PostgreSQL refuses (a NUL byte): its own HTML page, never the API's JSON. */
export function expectUnstorableValuePage(res: LightMyRequestResponse) {
  expect(res.statusCode).toBe(400);
  expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(res.headers.location).toBeUndefined();
  expectSafePage(res.headers, '');
  expect(res.body).toContain('<h1>Invalid request</h1>');
  expect(res.body).toContain(
    '<p>The request contains a value that cannot be stored (for example a NUL character).</p>',
  );
}

/** RFC 9207: the `iss` of every authorization response, PUBLIC_URL's default here. */
export const ISSUER = 'http://127.0.0.1:3000';

/** The query of a redirect to REDIRECT_URI, asserting it goes there. */
export const redirectParams = (location: unknown) => {
  const url = new URL(location as string);
  expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
  return Object.fromEntries(url.searchParams);
};
