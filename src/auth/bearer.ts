import type { FastifyReply, FastifyRequest, preValidationHookHandler } from 'fastify';
import { ApiError } from '../errors.js';
import type { Scope } from './scopes.js';
import type { Principal, TokenKind, TokenLoader, TokenService } from './token-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** What a route's token loader fetched with the token row (see BearerOptions.load). */
    prefetched: unknown;
  }
}

export const REALM = 'promotions';

const challenge = (attrs: Record<string, string> = {}) =>
  [`Bearer realm="${REALM}"`, ...Object.entries(attrs).map(([k, v]) => `${k}="${v}"`)].join(', ');

const notAuthenticated = (tokenSent: boolean, description?: string) =>
  new ApiError(
    'not_authenticated',
    'User must be authenticated to access this resource. No valid user access token was provided.',
    {
      headers: {
        'www-authenticate': tokenSent
          ? challenge({
              error: 'invalid_token',
              error_description: description ?? 'The access token is invalid.',
            })
          : challenge(),
      },
    },
  );

const REASONS = {
  malformed: 'The access token is malformed.',
  unknown: 'The access token is invalid.',
  expired: 'The access token expired.',
  revoked: 'The access token was revoked.',
} as const;

/** Reads `Authorization: Bearer <token>`; undefined when absent, null when present but not a bearer token. */
function headerToken(request: FastifyRequest): string | null | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer +([\x21-\x7E]+) *$/i.exec(header);
  return match ? match[1]! : null;
}

export interface BearerOptions {
  scope: Scope;
  /** Which token kinds may call: a user token (an account's grant) or an app token (client credentials). */
  kinds: readonly TokenKind[];
  /** POST /v2/promotions: a `user_access_token` in the body wins over the header. */
  bodyToken?: boolean;
  /** Fetch the route's data in the same round trip as the token row; lands in request.prefetched. */
  load?: (request: FastifyRequest) => TokenLoader | undefined;
}

/** Builds the preValidation hook that proves who calls, with RFC 6750 challenges. */
export function bearerAuth(tokens: TokenService, options: BearerOptions): preValidationHookHandler {
  return async function verifyBearer(request: FastifyRequest, _reply: FastifyReply) {
    const query = request.query as Record<string, unknown> | undefined;
    if (query && typeof query === 'object' && 'access_token' in query) {
      throw new ApiError('invalid_request', 'Access tokens are not accepted in the query string.', {
        source: { parameter: 'access_token' },
      });
    }
    const fromHeader = headerToken(request);
    if (fromHeader === null)
      throw notAuthenticated(true, 'The Authorization header must use the Bearer scheme.');

    let fromBody: string | undefined;
    if (options.bodyToken) {
      const body = request.body as Record<string, unknown> | undefined;
      const candidate = body && typeof body === 'object' ? body.user_access_token : undefined;
      if (candidate !== undefined && candidate !== null) {
        if (typeof candidate !== 'string' || candidate.length === 0) {
          throw new ApiError('invalid_request', 'user_access_token must be a non-empty string.', {
            source: { pointer: '/user_access_token' },
          });
        }
        fromBody = candidate;
      }
    }

    const token = fromBody ?? fromHeader;
    if (token === undefined) throw notAuthenticated(false);
    const verified = await tokens.verifyAccessToken(
      token,
      fromBody === undefined ? options.load?.(request) : undefined,
    );
    if (!verified.ok) throw notAuthenticated(true, REASONS[verified.reason]);
    const principal = verified.principal;

    if (fromBody !== undefined && fromHeader !== undefined) {
      // The header then carries the partner's app token: it must be valid and the same partner's.
      const app = await tokens.verifyAccessToken(fromHeader);
      if (!app.ok) throw notAuthenticated(true, REASONS[app.reason]);
      if (app.principal.partnerId !== principal.partnerId) {
        throw new ApiError(
          'permission_denied',
          'The tokens in the header and the body belong to different partners.',
        );
      }
    }

    if (!options.kinds.includes(principal.kind)) {
      throw new ApiError(
        'permission_denied',
        principal.kind === 'app'
          ? 'This action needs a user access token; an app token was provided.'
          : 'This action needs an app access token (client credentials); a user token was provided.',
      );
    }
    if (!principal.scopes.includes(options.scope)) {
      throw new ApiError(
        'permission_denied',
        `You do not have permission to perform this action. It requires the ${options.scope} scope.`,
        {
          headers: { 'www-authenticate': challenge({ error: 'insufficient_scope', scope: options.scope }) },
        },
      );
    }
    request.principal = principal;
    request.prefetched = verified.extra;
  };
}
