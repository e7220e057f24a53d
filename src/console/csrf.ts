// CSRF tokens of the console's forms (CONTRACT §11), after the consent page's (src/oauth/csrf.ts):
// an HMAC with a server key kept in the database (so any instance checks it) over what the
// token is bound to. Signed-in forms are bound to the session (the cookie an attacker's page
// cannot read or send: SameSite=Strict, HttpOnly), the sign-in form to a nonce cookie of its
// own with an expiry. Tokens never sit in a URL.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { csrfServerKey } from '../http/csrf-key.js';

const KEY_NAME = 'console_csrf_key';
export const SIGN_IN_TTL_SECONDS = 60 * 60;
const MAC = /^[A-Za-z0-9_-]{43}$/;
const SIGN_IN_TOKEN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export function createConsoleCsrf(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const serverKey = csrfServerKey(db, KEY_NAME);
  const mac = async (parts: readonly (string | number)[]) =>
    createHmac('sha256', await serverKey())
      .update(JSON.stringify(['console-v1', ...parts]))
      .digest('base64url');
  const same = (a: string, b: string) =>
    a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  return {
    /** The token of every form of a signed-in page. */
    forSession: (sessionId: string) => mac(['session', sessionId]),

    async verifySession(token: string | undefined, sessionId: string): Promise<boolean> {
      if (token === undefined || !MAC.test(token)) return false;
      return same(await mac(['session', sessionId]), token);
    },

    async forSignIn(nonce: string): Promise<string> {
      const expiry = Math.floor(clock.now().getTime() / 1000) + SIGN_IN_TTL_SECONDS;
      return `${expiry}.${await mac(['sign-in', expiry, nonce])}`;
    },

    async verifySignIn(token: string | undefined, nonce: string | undefined): Promise<boolean> {
      const match = token === undefined ? null : SIGN_IN_TOKEN.exec(token);
      if (!match || nonce === undefined) return false;
      const expiry = Number(match[1]);
      if (expiry * 1000 <= clock.now().getTime()) return false;
      return same(await mac(['sign-in', expiry, nonce]), match[2]!);
    },
  };
}

export type ConsoleCsrf = ReturnType<typeof createConsoleCsrf>;
