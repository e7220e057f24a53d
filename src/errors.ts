/**
 * The error catalogue. Every API error is defined once here with its status and title and
 * rendered as the JSON:API-style envelope `{"errors":[{status, code, title, detail, source?}]}`.
 * OAuth endpoints use RFC 6749 errors instead (src/oauth/errors.ts).
 */
export const ERROR_CATALOGUE = {
  invalid_request: { status: 400, title: 'Invalid Request' },
  invalid_scope: { status: 400, title: 'Invalid Scope' },
  not_authenticated: { status: 401, title: 'User Not Authenticated' },
  permission_denied: { status: 403, title: 'Permission Denied' },
  not_found: { status: 404, title: 'Not Found' },
  promotion_not_found: { status: 404, title: 'Promotion Not Found' },
  enrollment_not_found: { status: 404, title: 'Enrollment Not Found' },
  partner_not_found: { status: 404, title: 'Partner Not Found' },
  account_not_found: { status: 404, title: 'Account Not Found' },
  webhook_endpoint_not_found: { status: 404, title: 'Webhook Endpoint Not Found' },
  event_not_found: { status: 404, title: 'Event Not Found' },
  test_clock_not_found: { status: 404, title: 'Test Clock Not Found' },
  operator_not_found: { status: 404, title: 'Operator Not Found' },
  api_key_not_found: { status: 404, title: 'API Key Not Found' },
  method_not_allowed: { status: 405, title: 'Method Not Allowed' },
  uri_too_long: { status: 414, title: 'URI Too Long' },
  already_enrolled: { status: 409, title: 'Already Enrolled' },
  promotion_full: { status: 409, title: 'Promotion Full' },
  promotion_not_active: { status: 409, title: 'Promotion Not Active' },
  idempotency_key_in_use: { status: 409, title: 'Idempotency Key In Use' },
  promotion_exists: { status: 409, title: 'Promotion Exists' },
  email_taken: { status: 409, title: 'Email Taken' },
  max_enrollments_below_count: { status: 409, title: 'Max Enrollments Below Count' },
  enrollment_not_active: { status: 409, title: 'Enrollment Not Active' },
  test_clock_advancing: { status: 409, title: 'Test Clock Advancing' },
  last_owner: { status: 409, title: 'Last Owner' },
  payload_too_large: { status: 413, title: 'Payload Too Large' },
  unsupported_media_type: { status: 415, title: 'Unsupported Media Type' },
  idempotency_key_reused: { status: 422, title: 'Idempotency Key Reused' },
  rate_limited: { status: 429, title: 'Too Many Requests' },
  request_header_fields_too_large: { status: 431, title: 'Request Header Fields Too Large' },
  internal_error: { status: 500, title: 'Internal Server Error' },
  service_unavailable: { status: 503, title: 'Service Unavailable' },
  admin_disabled: { status: 503, title: 'Admin API Disabled' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface ErrorSource {
  pointer?: string;
  parameter?: string;
  header?: string;
}

export interface ErrorEnvelope {
  errors: Array<{ status: string; code: string; title: string; detail: string; source?: ErrorSource }>;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly title: string;
  readonly source: ErrorSource | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { source?: ErrorSource; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = ERROR_CATALOGUE[code].status;
    this.title = ERROR_CATALOGUE[code].title;
    this.source = options.source;
    this.headers = options.headers ?? {};
  }

  toEnvelope(): ErrorEnvelope {
    return envelope(this.code, this.message, this.source);
  }
}

export function envelope(code: ErrorCode, detail: string, source?: ErrorSource): ErrorEnvelope {
  const { status, title } = ERROR_CATALOGUE[code];
  return { errors: [{ status: String(status), code, title, detail, ...(source ? { source } : {}) }] };
}

export const isApiError = (err: unknown): err is ApiError => err instanceof ApiError;

/** Fastify's own client errors, told in words a partner engineer can act on. */
export const FRAMEWORK_ERROR_DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Requests with a body must be application/json.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body exceeds the 16 KiB limit.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty but its content type is application/json.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body.',
};

/** Seconds a 503 asks the client to wait (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5;

/** RFC 6749 §5.1 (and anything carrying a credential): never cached. */
export const NO_STORE_HEADERS = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

const retryAfter = { 'retry-after': String(RETRY_AFTER_SECONDS) };

/**
 * The errors raised in more than one place, each detail written once (after supabase/storage's
 * `ERRORS`). One-off errors are built where they are raised, still from the catalogue's codes.
 */
export const ERRORS = {
  routeNotFound: (method: string, url: string) =>
    new ApiError('not_found', `No route matches ${method} ${url.split('?')[0]}.`),
  enrollmentNotFound: () => new ApiError('enrollment_not_found', 'The requested enrollment was not found.'),
  promotionNotFound: () => new ApiError('promotion_not_found', 'The requested promotion was not found.'),
  partnerNotFound: () => new ApiError('partner_not_found', 'The requested partner was not found.'),
  accountNotFound: () => new ApiError('account_not_found', 'The requested account was not found.'),
  operatorNotFound: () => new ApiError('operator_not_found', 'The requested operator was not found.'),
  apiKeyNotFound: () => new ApiError('api_key_not_found', 'The requested API key was not found.'),
  /** CONTRACT §11: the caller's role is below the one the action needs. */
  roleRequired: (need: string, have: string) =>
    new ApiError('permission_denied', `This action needs the ${need} role; the caller has the ${have} role.`),
  invalidCursor: () =>
    new ApiError('invalid_request', 'The cursor is invalid.', { source: { parameter: 'cursor' } }),
  internal: () => new ApiError('internal_error', 'An unexpected error occurred.'),
  /** 503 with Retry-After: the database is unreachable, the process overloaded or closing. */
  serviceUnavailable: (detail = 'The service is temporarily unavailable. Retry later.') =>
    new ApiError('service_unavailable', detail, { headers: retryAfter }),
} as const;
