import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, isDataException } from './db/errors.js';
import {
  type ApiError,
  ERRORS,
  type ErrorSource,
  FRAMEWORK_ERROR_DETAILS,
  FRAMEWORK_STATUS_CODES,
  isApiError,
} from './errors.js';

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
    return ERRORS.schemaViolation(detail, source);
  }
  if (isDatabaseUnavailable(err)) return ERRORS.serviceUnavailable();
  if (isDataException(err)) {
    // The statement failed, so nothing changed; the input was at fault, not the server.
    return ERRORS.unstorableValue();
  }
  if (status === 503) return ERRORS.serviceUnavailable();
  if (status >= 400 && status < 500) {
    const known = FRAMEWORK_STATUS_CODES[status] !== undefined;
    return ERRORS.frameworkError(
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
