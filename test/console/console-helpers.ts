// Driving the console over HTTP (inject): sign in through its form, then GET pages and POST
// their forms with the session cookie and the page's CSRF token, as a browser would.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Role } from '../../src/rules/roles.js';
import { OPERATOR_PASSWORD, operatorWithKey } from '../admin/operator-helpers.js';
import type { TestContext } from '../helpers/app.js';

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' } as const;

/** The value of one cookie a response sets, or undefined. */
export function setCookie(res: LightMyRequestResponse, name: string): string | undefined {
  const header = res.headers['set-cookie'];
  const all = Array.isArray(header) ? header : header ? [header] : [];
  return all.find((c) => c.startsWith(`${name}=`));
}

/** The CSRF token of the first form of a page. */
export function csrfOf(body: string): string {
  const token = /name="csrf_token" value="([^"]+)"/.exec(body)?.[1];
  if (!token) throw new Error('no csrf_token on the page');
  return token;
}

export interface ConsoleBrowser {
  cookie: string;
  email: string;
  operatorId: string;
  get(url: string): Promise<LightMyRequestResponse>;
  /** Posts a form with the CSRF token of `from` (a page already fetched), unless `csrf` is given. */
  post(
    url: string,
    fields: Record<string, string>,
    from: LightMyRequestResponse | { csrf: string },
  ): Promise<LightMyRequestResponse>;
}

/** Signs in through the sign-in form and returns a tiny cookie-keeping browser. */
export async function signIn(ctx: TestContext, email: string, password: string): Promise<ConsoleBrowser> {
  const form = await ctx.app.inject({ method: 'GET', url: '/console/sign-in' });
  expect(form.statusCode).toBe(200);
  const nonce = setCookie(form, 'console_csrf')!.split(';')[0]!;
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/console/sign-in',
    headers: { ...FORM, cookie: nonce },
    payload: new URLSearchParams({
      csrf_token: csrfOf(form.body),
      email,
      password,
      next: '/console/promotions',
    }).toString(),
  });
  expect(res.statusCode, res.body).toBe(303);
  const cookie = setCookie(res, 'console_session')!.split(';')[0]!;
  const browser: ConsoleBrowser = {
    cookie,
    email,
    operatorId: '',
    get: (url) => ctx.app.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url, fields, from) =>
      ctx.app.inject({
        method: 'POST',
        url,
        headers: { ...FORM, cookie },
        payload: new URLSearchParams({
          csrf_token: 'csrf' in from ? from.csrf : csrfOf(from.body),
          ...fields,
        }).toString(),
      }),
  };
  return browser;
}

/** A new operator of `role`, signed in. */
export async function signedIn(ctx: TestContext, role: Role): Promise<ConsoleBrowser> {
  const { operator } = await operatorWithKey(ctx, role);
  const browser = await signIn(ctx, operator.email, OPERATOR_PASSWORD);
  browser.operatorId = operator.id;
  return browser;
}
