import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, isDataException } from './db/errors.js';
import {
  ApiError,
  ERRORS,
  type ErrorCode,
  type ErrorSource,
  FRAMEWORK_ERROR_DETAILS,
  isApiError,
} from './errors.js';

// Fastify's own 4xx, mapped onto the catalogue so they wear the envelope too, each with its own status.
const FRAMEWORK_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'invalid_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  431: 'request_header_fields_too_large',
  503: 'service_unavailable',
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

/** Fastify's own client error as the catalogue's error of the same status (400 when it has none). */
export function frameworkError(status: number, detail: string): ApiError {
  return new ApiError(FRAMEWORK_STATUS_CODES[status] ?? 'invalid_request', detail);
}

/** Any error as the envelope's ApiError; null when it is unexpected (a 500). */
export function toApiError(err: FastifyError, request: FastifyRequest): ApiError | null {
  if (isApiError(err)) return err;
  const status = err.statusCode ?? 500;
  // A body that cannot be parsed on a route that does not exist is still a missing route.
  if (status >= 400 && status < 500 && !request.routeOptions.url) {
    return ERRORS.routeNotFound(request.method, request.url);
  }
  if (hasZodFastifySchemaValidationErrors(err) || err.validation) {
    const { detail, source } = validationDetail(err);
    return new ApiError('invalid_request', detail, { source });
  }
  if (isDatabaseUnavailable(err)) return ERRORS.serviceUnavailable();
  if (isDataException(err)) {
    // The statement failed, so nothing changed; the input was at fault, not the server.
    return new ApiError(
      'invalid_request',
      'The request contains a value that cannot be stored (for example a NUL character).',
    );
  }
  if (status === 503) return ERRORS.serviceUnavailable();
  if (status >= 400 && status < 500) {
    const known = FRAMEWORK_STATUS_CODES[status] !== undefined;
    return frameworkError(
      status,
      FRAMEWORK_ERROR_DETAILS[err.code] ?? (known ? err.message : 'The request is invalid.'),
    );
  }
  return null;
}

/** The application's one error handler: the envelope for everything; the text of any 5xx stays in the logs. */
export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const apiError = toApiError(err, request);
  if (!apiError) {
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send(ERRORS.internal().toEnvelope());
  }
  if (apiError.statusCode >= 500) {
    if (isDatabaseUnavailable(err)) request.log.warn({ err }, 'database unavailable');
    else request.log.error({ err }, 'request failed');
  } else if (isDataException(err)) {
    request.log.info({ err }, 'database refused a value');
  }
  return reply.code(apiError.statusCode).headers(apiError.headers).send(apiError.toEnvelope());
}
