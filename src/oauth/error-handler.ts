import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { FRAMEWORK_ERROR_DETAILS, isApiError, NO_STORE_HEADERS } from '../errors.js';
import { isOAuthError } from './errors.js';

/**
 * The OAuth scope's error handler: RFC 6749 §5.2 bodies with `no-store`, also for bodies
 * Fastify cannot parse. Anything else (a 429, a 503, a 500) is the API's business: rethrown,
 * it reaches the application's handler and wears the envelope.
 */
export function oauthErrorHandler(err: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (isOAuthError(err)) {
    return reply
      .code(err.statusCode)
      .headers({ ...NO_STORE_HEADERS, ...err.headers })
      .send(err.toBody());
  }
  if (err.statusCode === 400 && !isApiError(err)) {
    return reply
      .code(400)
      .headers(NO_STORE_HEADERS)
      .send({
        error: 'invalid_request',
        error_description: FRAMEWORK_ERROR_DETAILS[err.code] ?? 'The request is malformed.',
      });
  }
  throw err;
}
