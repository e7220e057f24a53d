import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { randomId } from '../auth/secrets.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { meta } from '../db/schema.js';

export const CSRF_COOKIE = 'oauth_csrf';
export const CSRF_TTL_SECONDS = 30 * 60;
const KEY_NAME = 'oauth_csrf_key';
const NONCE = /^[A-Za-z0-9_-]{22}$/;
const TOKEN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/**
 * Stateless CSRF tokens that any instance can check: HMAC(server key, expiry, browser nonce,
 * the authorization request). The nonce lives in an HttpOnly SameSite=Lax cookie, so a form
 * posted from another site carries no nonce and fails; the request fields are covered, so
 * the hidden inputs cannot be edited either. The key is generated once and kept in `meta`.
 */
export function createCsrf(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  let key: Promise<Buffer> | undefined;

  async function loadKey(): Promise<Buffer> {
    await db
      .insert(meta)
      .values({ key: KEY_NAME, value: randomId(32) })
      .onConflictDoNothing();
    const [row] = await db.select().from(meta).where(sql`${meta.key} = ${KEY_NAME}`).limit(1);
    return Buffer.from(row!.value, 'base64url');
  }

  // Cached per process: it never changes, and losing the cache only costs one query.
  const serverKey = () => {
    key ??= loadKey().catch((err: unknown) => {
      key = undefined;
      throw err;
    });
    return key;
  };

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
    if (!match || nonce === undefined || !NONCE.test(nonce)) return false;
    const expiry = Number(match[1]);
    if (expiry * 1000 <= clock.now().getTime()) return false;
    const expected = Buffer.from(mac(await serverKey(), expiry, nonce, fields));
    return timingSafeEqual(expected, Buffer.from(match[2]!));
  }

  return {
    newNonce: () => randomId(16),
    isNonce: (value: string | undefined): value is string => value !== undefined && NONCE.test(value),
    issue,
    verify,
  };
}

export type Csrf = ReturnType<typeof createCsrf>;

/** The one cookie this server reads; a tiny parser instead of a plugin. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function csrfCookie(nonce: string, secure: boolean): string {
  return [
    `${CSRF_COOKIE}=${nonce}`,
    'Path=/',
    `Max-Age=${CSRF_TTL_SECONDS}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
