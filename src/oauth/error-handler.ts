import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDataException } from '../db/errors.js';
import { FRAMEWORK_ERROR_DETAILS, isApiError, NO_STORE_HEADERS } from '../errors.js';
import { isOAuthError, OAUTH_ERRORS, type OAuthError } from './errors.js';

/** The endpoints OAuth client libraries call and parse as RFC 6749 (the consent page is a browser's). */
const CLIENT_ENDPOINTS = new Set(['/oauth/token', '/oauth/revoke', '/oauth/introspect']);

/** The limiter's 429 on an endpoint clients call, as the RFC 6749 error they can read; else null. */
function clientRateLimit(err: unknown, request: FastifyRequest): OAuthError | null {
  if (!isApiError(err) || err.code !== 'rate_limited') return null;
  if (!CLIENT_ENDPOINTS.has(request.routeOptions.url ?? '')) return null;
  return OAUTH_ERRORS.rateLimited(err.message, err.headers);
}

/** A body Fastify itself refused (a 400 of its own), as RFC 6749 invalid_request; else null. */
function unreadableBody(err: FastifyError): OAuthError | null {
  if (err.statusCode !== 400 || isApiError(err)) return null;
  return OAUTH_ERRORS.malformedRequest(FRAMEWORK_ERROR_DETAILS[err.code] ?? 'The request is malformed.');
}

/**
 * A value PostgreSQL refuses to store or compare (a NUL byte in `client_id`, say) on an
 * endpoint clients call, as RFC 6749 invalid_request; else null (the consent page answers its own, an HTML page).
 */
function unstorableValue(err: unknown, request: FastifyRequest): OAuthError | null {
  if (!isDataException(err) || !CLIENT_ENDPOINTS.has(request.routeOptions.url ?? '')) return null;
  return OAUTH_ERRORS.malformedRequest(
    'The request contains a value that cannot be stored (for example a NUL character).',
  );
}

/**
 * The OAuth scope's error handler: RFC 6749 §5.2 bodies with `no-store`, also for bodies
 * Fastify cannot parse and for the per-IP request limit on the endpoints clients call (a
 * strict client reads `{error}` there, never the envelope). Anything else (a 503, a 500, the
 * consent form's 429) is the API's business: rethrown, it reaches the application's handler
 * and wears the envelope.
 */
export function oauthErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const oauthError = isOAuthError(err)
    ? err
    : (clientRateLimit(err, request) ?? unstorableValue(err, request) ?? unreadableBody(err));
  if (!oauthError) throw err;
  return reply
    .code(oauthError.statusCode)
    .headers({ ...NO_STORE_HEADERS, ...oauthError.headers })
    .send(oauthError.toBody());
}
