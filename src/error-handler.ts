import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, isDataException } from './db/errors.js';
import { type ErrorCode, type ErrorSource, envelope, isApiError } from './errors.js';
import { isOAuthError } from './oauth/errors.js';

export const RETRY_AFTER_SECONDS = 5;

// Fastify's own 4xx, mapped onto the catalogue so they wear the envelope too.
const FASTIFY_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'invalid_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Requests with a body must be application/json.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body exceeds the 16 KiB limit.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty but its content type is application/json.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body.',
};

function validationDetail(err: FastifyError): { detail: string; source?: ErrorSource } {
  const issue = err.validation?.[0];
  if (!issue) return { detail: 'The request is invalid.' };
  const context = err.validationContext ?? 'body';
  const path = (issue as { instancePath?: string }).instancePath ?? '';
  const field = path.split('/').filter(Boolean).join('.');
  const message = issue.message ?? 'is invalid';
  if (context === 'body') {
    return {
      detail: field ? `${field}: ${message}` : `The request body is invalid: ${message}`,
      source: { pointer: path === '/' ? '' : path },
    };
  }
  const parameter = path.split('/').filter(Boolean)[0] ?? context;
  return { detail: `${parameter}: ${message}`, source: { parameter } };
}

/** One handler for both error families; the text of any 5xx stays in the logs. */
export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isApiError(err)) {
    if (err.statusCode >= 500) request.log.error({ err }, 'request failed');
    return reply.code(err.statusCode).headers(err.headers).send(err.toEnvelope());
  }
  if (isOAuthError(err)) {
    return reply
      .code(err.statusCode)
      .headers({ 'cache-control': 'no-store', pragma: 'no-cache', ...err.headers })
      .send(err.toBody());
  }
  const status0 = err.statusCode ?? 500;
  // A body that cannot be parsed on a route that does not exist is still a missing route.
  if (status0 >= 400 && status0 < 500 && !request.routeOptions.url) {
    return reply
      .code(404)
      .send(envelope('not_found', `No route matches ${request.method} ${request.url.split('?')[0]}.`));
  }
  // The token endpoints speak RFC 6749 even about bodies they cannot parse.
  if (status0 === 400 && request.url.startsWith('/oauth/')) {
    return reply
      .code(400)
      .headers({ 'cache-control': 'no-store', pragma: 'no-cache' })
      .send({
        error: 'invalid_request',
        error_description: FASTIFY_DETAILS[err.code] ?? 'The request is malformed.',
      });
  }
  if (hasZodFastifySchemaValidationErrors(err) || err.validation) {
    const { detail, source } = validationDetail(err);
    return reply.code(400).send(envelope('invalid_request', detail, source));
  }
  if (isDatabaseUnavailable(err)) {
    request.log.warn({ err }, 'database unavailable');
    return reply
      .code(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .send(envelope('service_unavailable', 'The service is temporarily unavailable. Retry later.'));
  }
  if (isDataException(err)) {
    // The statement failed, so nothing changed; the input was at fault, not the server.
    request.log.info({ err }, 'database refused a value');
    return reply
      .code(400)
      .send(
        envelope(
          'invalid_request',
          'The request contains a value that cannot be stored (for example a NUL character).',
        ),
      );
  }
  const status = err.statusCode ?? 500;
  const code = FASTIFY_STATUS_CODES[status];
  if (status >= 400 && status < 500) {
    const mapped = code ?? 'invalid_request';
    const detail = FASTIFY_DETAILS[err.code] ?? (code ? err.message : 'The request is invalid.');
    return reply.code(code ? status : 400).send(envelope(mapped, detail));
  }
  if (status === 503) {
    return reply
      .code(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .send(envelope('service_unavailable', 'The service is temporarily unavailable. Retry later.'));
  }
  request.log.error({ err }, 'unhandled error');
  return reply.code(500).send(envelope('internal_error', 'An unexpected error occurred.'));
}
