// RFC 6750 for every bearer-token audience: which token a request carries, and whether the
// proven principal may do what the route needs. No Fastify here: the /v2 scope's hook and the
// one-round-trip read of an enrollment both call these.
import { ERRORS } from '../errors.js';
import type { Scope } from './scopes.js';
import type { Principal, TokenKind, VerifyResult } from './token-service.js';

export const REALM = 'promotions';

/** What a route needs of its caller. */
export interface BearerRequirement {
  scope: Scope;
  /** Which token kinds may call: a user token (an account's grant) or an app token (client credentials). */
  kinds: readonly TokenKind[];
  /** POST /v2/promotions: a `user_access_token` in the body wins over the header. */
  bodyToken?: boolean;
}

/** `WWW-Authenticate: Bearer realm="…", k="v"…` (RFC 6750 §3). */
export const challenge = (realm: string, attrs: Record<string, string> = {}) =>
  [`Bearer realm="${realm}"`, ...Object.entries(attrs).map(([k, v]) => `${k}="${v}"`)].join(', ');

/**
 * The token in `Authorization: Bearer <token>`, the one parser of that header for every
 * audience: undefined when the header is absent, null when present but not a bearer token.
 */
export function parseBearerHeader(header: string | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer +([\x21-\x7E]+) *$/i.exec(header);
  return match ? match[1]! : null;
}

const REASONS = {
  malformed: 'The access token is malformed.',
  unknown: 'The access token is invalid.',
  expired: 'The access token expired.',
  revoked: 'The access token was revoked.',
  partner_disabled: "The access token's partner is disabled.",
  scheme: 'The Authorization header must use the Bearer scheme.',
} as const;

export type NotAuthenticatedReason = keyof typeof REASONS;

/** 401 with the RFC 6750 challenge: `invalid_token` when a token was sent, a bare challenge when none was. */
export const notAuthenticated = (reason?: NotAuthenticatedReason) =>
  ERRORS.notAuthenticated(
    reason
      ? challenge(REALM, { error: 'invalid_token', error_description: REASONS[reason] })
      : challenge(REALM),
  );

/** A verified token's principal, or the 401 that its failure answers. */
export function provenPrincipal(verified: VerifyResult): Principal {
  if (!verified.ok) throw notAuthenticated(verified.reason);
  return verified.principal;
}

/** Token kind, then scope (403 with `insufficient_scope` naming the scope needed). */
export function authorize(principal: Principal, requirement: BearerRequirement): Principal {
  if (!requirement.kinds.includes(principal.kind)) {
    throw principal.kind === 'app' ? ERRORS.userTokenRequired() : ERRORS.appTokenRequired();
  }
  if (!principal.scopes.includes(requirement.scope)) {
    throw ERRORS.insufficientScope(
      requirement.scope,
      challenge(REALM, { error: 'insufficient_scope', scope: requirement.scope }),
    );
  }
  return principal;
}
