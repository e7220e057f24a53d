import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ERRORS } from '../errors.js';
import { requireRouteDeclaration } from '../http/route-declaration.js';
import {
  authorize,
  type BearerRequirement,
  notAuthenticated,
  parseBearerHeader,
  provenPrincipal,
} from './authorize.js';
import type { Principal } from './token-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who calls, once authenticated; null before (and on routes that need nobody). */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /**
     * What a bearer-authenticated route needs of its caller. `'in-operation'`: the route's one
     * service operation verifies the token itself, in the same round trip as its read.
     */
    auth?: BearerRequirement | 'in-operation';
  }
}

/** `user_access_token`'s maxLength in openapi/promotions.yaml (EnrollBodySchema holds the same). */
export const MAX_BODY_TOKEN_LENGTH = 500;

/** The token a request carries: a non-empty `user_access_token` in the body wins when the route allows it. */
export function requestToken(
  request: FastifyRequest,
  bodyToken = false,
): { token: string; fromHeader: string | undefined; inBody: boolean } {
  const query = request.query as Record<string, unknown> | undefined;
  if (query && typeof query === 'object' && 'access_token' in query) {
    throw ERRORS.tokenInQuery();
  }
  const fromHeader = parseBearerHeader(request.headers.authorization);
  if (fromHeader === null) throw notAuthenticated('scheme');
  if (bodyToken) {
    const body = request.body as Record<string, unknown> | undefined;
    const candidate = body && typeof body === 'object' ? body.user_access_token : undefined;
    if (candidate !== undefined && candidate !== null) {
      // CONTRACT §4.2: the body's bound (openapi/promotions.yaml) holds before any lookup.
      if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > MAX_BODY_TOKEN_LENGTH)
        throw ERRORS.invalidBodyToken();
      return { token: candidate, fromHeader, inBody: true };
    }
  }
  if (fromHeader === undefined) throw notAuthenticated();
  return { token: fromHeader, fromHeader, inBody: false };
}

/**
 * Bearer authentication for the scope it is registered in (CONTRACT §4, RFC 6750): every route
 * declares `config.auth`, and a preValidation hook proves the caller before anything else of
 * the route runs. A route without a declaration fails at start-up, never open by mistake.
 */
export const bearerAuthPlugin = fp(
  async (app) => {
    const { tokenService } = app;

    requireRouteDeclaration(app, 'auth', (auth) => Boolean(auth), 'bearer requirement');

    app.addHook('preValidation', async function authenticateBearer(request) {
      const requirement = request.routeOptions.config.auth;
      if (!requirement || requirement === 'in-operation') return;
      const { token, fromHeader, inBody } = requestToken(request, requirement.bodyToken);
      // With a body token, the header carries the partner's app token: it must be valid and the
      // same partner's. Both are read at once (under load, in one statement); the body's is judged first.
      const [verified, header] = await Promise.all([
        tokenService.verifyAccessToken(token),
        inBody && fromHeader !== undefined ? tokenService.verifyAccessToken(fromHeader) : undefined,
      ]);
      const principal = provenPrincipal(verified);
      if (header && provenPrincipal(header).partnerId !== principal.partnerId)
        throw ERRORS.tokensOfDifferentPartners();
      request.principal = authorize(principal, requirement);
    });
  },
  { name: 'bearer-auth', dependencies: ['auth'] },
) satisfies FastifyPluginAsync;
