import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { findOrInsertMeta } from '../db/meta.js';
import { readCookie } from './cookies.js';

const NONCE = /^[A-Za-z0-9_-]{22}$/;

/**
 * The HMAC key of a CSRF token scheme (the consent page's, the console's): 32 random bytes made
 * once and kept in `meta` under `name`, so any instance checks any instance's tokens. Cached
 * per process: it never changes, and losing the cache only costs one query.
 */
export function csrfServerKey(db: Db, name: string): () => Promise<Buffer> {
  let key: Promise<Buffer> | undefined;
  return function serverKey() {
    key ??= findOrInsertMeta(db, name, () => randomBytes(32).toString('base64url'))
      .then((value) => Buffer.from(value, 'base64url'))
      .catch((err: unknown) => {
        key = undefined;
        throw err;
      });
    return key;
  };
}

/** A well-formed browser nonce (16 random bytes, base64url), the value of a CSRF nonce cookie. */
export const isCsrfNonce = (value: string | undefined): value is string =>
  value !== undefined && NONCE.test(value);

/**
 * The browser's CSRF nonce (the consent page's, the console's sign-in form's): the one its
 * cookie `name` carries when well-formed, else a new one, set on the reply with `cookie(nonce)`.
 */
export function browserNonce(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  cookie: (nonce: string) => string,
): string {
  const existing = readCookie(request.headers.cookie, name);
  if (isCsrfNonce(existing)) return existing;
  const nonce = randomBytes(16).toString('base64url');
  reply.header('set-cookie', cookie(nonce));
  return nonce;
}
