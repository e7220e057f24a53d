// Console sessions (CONTRACT §11): the cookie `console_session=<id>.<secret>` (HttpOnly,
// SameSite=Strict, Path=/console, Secure behind https), only sha-256 of the secret stored with
// an expiry, so any instance checks it in one read. The operator's role is read with it at every
// request: a role change or a disabled operator applies at once.

import { randomId, sha256 } from '../auth/secrets.js';
import { secretMatches } from '../auth/token-service.js';
import type { Clock } from '../clock.js';
import { httpOnlyCookie } from '../http/cookies.js';
import type { AdminActor } from '../rules/roles.js';
import type { SessionRepository } from './session-repository.js';

export const SESSION_COOKIE = 'console_session';
/** A sign-in lasts a working day; then the operator signs in again. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
const VALUE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export interface ConsoleSession {
  id: string;
  actor: AdminActor;
  /** After an owner's reset: every page but the password page and sign-out sends the operator there. */
  mustChangePassword: boolean;
}

export function sessionCookie(value: string, secure: boolean, maxAgeSeconds = SESSION_TTL_SECONDS): string {
  return httpOnlyCookie(SESSION_COOKIE, value, {
    path: '/console',
    maxAgeSeconds,
    sameSite: 'Strict',
    secure,
  });
}

export function createSessions(deps: { clock: Clock; sessions: SessionRepository }) {
  const { clock, sessions } = deps;

  return {
    /** A new session for the operator; the cookie value (shown to the browser only). */
    async start(operatorId: string): Promise<string> {
      const id = randomId(16);
      const secret = randomId(32);
      const now = clock.now();
      await sessions.deleteExpired(now, operatorId);
      await sessions.insert({
        id,
        operatorId,
        secretHash: sha256(secret),
        expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
        createdAt: now,
      });
      return `${id}.${secret}`;
    },

    /** The session a cookie value proves, or null (unknown, wrong secret, expired, operator disabled). */
    async resolve(value: string | undefined): Promise<ConsoleSession | null> {
      const match = value === undefined ? null : VALUE.exec(value);
      if (!match) return null;
      const row = await sessions.findWithOperator(match[1]!);
      if (!row || !secretMatches(match[2]!, row.secretHash)) return null;
      if (row.expiresAt.getTime() <= clock.now().getTime() || row.disabledAt !== null) return null;
      return {
        id: row.id,
        actor: {
          kind: 'session',
          operatorId: row.operatorId,
          email: row.email,
          apiKeyId: null,
          role: row.role,
        },
        mustChangePassword: row.mustChangePassword,
      };
    },

    async end(id: string): Promise<void> {
      await sessions.delete(id);
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
