import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { httpOnlyCookie } from '../http/cookies.js';
import { csrfServerKey, isCsrfNonce } from '../http/csrf-key.js';

export const CSRF_COOKIE = 'oauth_csrf';
export const CSRF_TTL_SECONDS = 30 * 60;
const KEY_NAME = 'oauth_csrf_key';
const TOKEN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/**
 * Stateless CSRF tokens that any instance can check: HMAC(server key, expiry, browser nonce,
 * the authorization request). The nonce lives in an HttpOnly SameSite=Lax cookie, so a form
 * posted from another site carries no nonce and fails; the request fields are covered, so
 * the hidden inputs cannot be edited either. The key is generated once and kept in `meta`
 * (src/http/csrf-key.ts).
 */
export function createCsrf(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const serverKey = csrfServerKey(db, KEY_NAME);

  const mac = (secret: Buffer, expiry: number, nonce: string, fields: readonly string[]) =>
    createHmac('sha256', secret)
      .update(JSON.stringify(['v1', expiry, nonce, ...fields]))
      .digest('base64url');

  async function issue(nonce: string, fields: readonly string[]): Promise<string> {
    const expiry = Math.floor(clock.now().getTime() / 1000) + CSRF_TTL_SECONDS;
    return `${expiry}.${mac(await serverKey(), expiry, nonce, fields)}`;
  }

  async function verify(token: string | undefined, nonce: string | undefined, fields: readonly string[]) {
    const match = token === undefined ? null : TOKEN.exec(token);
    if (!match || nonce === undefined || !isCsrfNonce(nonce)) return false;
    const expiry = Number(match[1]);
    if (expiry * 1000 <= clock.now().getTime()) return false;
    const expected = Buffer.from(mac(await serverKey(), expiry, nonce, fields));
    return timingSafeEqual(expected, Buffer.from(match[2]!));
  }

  return {
    issue,
    verify,
  };
}

export type Csrf = ReturnType<typeof createCsrf>;

export function csrfCookie(nonce: string, secure: boolean): string {
  return httpOnlyCookie(CSRF_COOKIE, nonce, {
    path: '/',
    maxAgeSeconds: CSRF_TTL_SECONDS,
    sameSite: 'Lax',
    secure,
  });
}
