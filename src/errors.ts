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
  external_id_taken: { status: 409, title: 'External Id Taken' },
  max_enrollments_below_count: { status: 409, title: 'Max Enrollments Below Count' },
  enrollment_not_active: { status: 409, title: 'Enrollment Not Active' },
  test_clock_advancing: { status: 409, title: 'Test Clock Advancing' },
  // CONTRACT §10: a valid bootstrap document that this database cannot take as it stands.
  bootstrap_conflict: { status: 409, title: 'Bootstrap Conflict' },
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

/** Where an error points, and the headers its answer carries (a challenge, a Retry-After). */
export interface ApiErrorOptions {
  source?: ErrorSource;
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly title: string;
  readonly source: ErrorSource | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, detail: string, options: ApiErrorOptions = {}) {
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

/**
 * The envelope's own bounds (CONTRACT §4.3, `PromotionError` in openapi/): a detail or a source
 * may quote the request (a URL, a field name), which can be as long as the request itself.
 */
export const MAX_DETAIL_LENGTH = 2000;
export const MAX_SOURCE_LENGTH = 200;
export const MAX_ENVELOPE_ERRORS = 100;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function boundedSource(source: ErrorSource): ErrorSource {
  return Object.fromEntries(
    Object.entries(source).map(([key, value]) => [
      key,
      typeof value === 'string' ? cut(value, MAX_SOURCE_LENGTH) : value,
    ]),
  ) as ErrorSource;
}

export function envelope(code: ErrorCode, detail: string, source?: ErrorSource): ErrorEnvelope {
  const { status, title } = ERROR_CATALOGUE[code];
  return {
    errors: [
      {
        status: String(status),
        code,
        title,
        detail: cut(detail, MAX_DETAIL_LENGTH),
        ...(source ? { source: boundedSource(source) } : {}),
      },
    ],
  };
}

export const isApiError = (err: unknown): err is ApiError => err instanceof ApiError;

/** One problem of a request's document: its detail line and where in the body it points. */
export interface DocumentProblem {
  detail: string;
  pointer: string;
}

/** An ApiError that lists every problem of one request, one envelope entry each (CONTRACT §10). */
export class ApiErrorList extends ApiError {
  readonly problems: DocumentProblem[];

  constructor(code: ErrorCode, problems: DocumentProblem[]) {
    super(code, problems.map((p) => p.detail).join('\n'));
    this.name = 'ApiErrorList';
    this.problems = problems;
  }

  override toEnvelope(): ErrorEnvelope {
    const { status, title } = ERROR_CATALOGUE[this.code];
    // A document can have more problems than an answer should carry: the first ones are shown.
    return {
      errors: this.problems.slice(0, MAX_ENVELOPE_ERRORS).map((p) => ({
        status: String(status),
        code: this.code,
        title,
        detail: cut(p.detail, MAX_DETAIL_LENGTH),
        source: boundedSource({ pointer: p.pointer }),
      })),
    };
  }
}

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
const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

// Fastify's own 4xx, mapped onto the catalogue so they wear the envelope too, each with its own status.
export const FRAMEWORK_STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'invalid_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  431: 'request_header_fields_too_large',
  503: 'service_unavailable',
};

// The errors, one factory per error raised; the parameters are the variable parts of its detail.

/** Where an error points: a field of the body, a query parameter or a header. */
const atPointer = (pointer: string): ApiErrorOptions => ({ source: { pointer } });
const atParameter = (parameter: string): ApiErrorOptions => ({ source: { parameter } });
const atHeader = (header: string): ApiErrorOptions => ({ source: { header } });
const challenged = (wwwAuthenticate: string): ApiErrorOptions => ({
  headers: { 'www-authenticate': wwwAuthenticate },
});

/** The factory of an error whose detail never varies: a fresh ApiError each time it is raised. */
const fixed = (code: ErrorCode, detail: string, options?: ApiErrorOptions) => (): ApiError =>
  new ApiError(code, detail, options);

// Requests the framework or the HTTP parser refuses (src/error-handler.ts, src/app.ts).

function routeNotFound(method: string, url: string): ApiError {
  return new ApiError('not_found', `No route matches ${method} ${url.split('?')[0]}.`);
}

/** Fastify's own client error as the catalogue's error of the same status (400 when it has none). */
function frameworkError(status: number, detail: string): ApiError {
  return new ApiError(FRAMEWORK_STATUS_CODES[status] ?? 'invalid_request', detail);
}

/** A body, query or path that breaks its route's schema; the detail is the validator's. */
function schemaViolation(detail: string, source?: ErrorSource): ApiError {
  return new ApiError('invalid_request', detail, { source });
}

const unstorableValue = fixed(
  'invalid_request',
  'The request contains a value that cannot be stored (for example a NUL character).',
);
const pathSegmentTooLong = fixed('uri_too_long', 'A path segment of the URL is longer than 500 characters.');

/** A URL the router cannot read, with the status Fastify gave it. */
function malformedUrl(status: number): ApiError {
  return frameworkError(status, 'The request URL is malformed.');
}

const headersTooLarge = fixed(
  'request_header_fields_too_large',
  'The request line and headers exceed 16 KiB.',
);
const malformedHttp = fixed('invalid_request', 'The request is not valid HTTP/1.1.');
const invalidCursor = fixed('invalid_request', 'The cursor is invalid.', atParameter('cursor'));

// Bearer tokens (src/auth/): the WWW-Authenticate challenge is the caller's (RFC 6750 §3).

function notAuthenticated(wwwAuthenticate: string): ApiError {
  return new ApiError(
    'not_authenticated',
    'User must be authenticated to access this resource. No valid user access token was provided.',
    challenged(wwwAuthenticate),
  );
}

const tokenInQuery = fixed(
  'invalid_request',
  'Access tokens are not accepted in the query string.',
  atParameter('access_token'),
);
const invalidBodyToken = fixed(
  'invalid_request',
  'user_access_token must be a non-empty string of at most 500 characters.',
  atPointer('/user_access_token'),
);
const tokensOfDifferentPartners = fixed(
  'permission_denied',
  'The tokens in the header and the body belong to different partners.',
);
const userTokenRequired = fixed(
  'permission_denied',
  'This action needs a user access token; an app token was provided.',
);
const appTokenRequired = fixed(
  'permission_denied',
  'This action needs an app access token (client credentials); a user token was provided.',
);

function insufficientScope(scope: string, wwwAuthenticate: string): ApiError {
  return new ApiError(
    'permission_denied',
    `You do not have permission to perform this action. It requires the ${scope} scope.`,
    challenged(wwwAuthenticate),
  );
}

// The admin API's own token (src/admin/admin-auth.ts).

const adminDisabled = fixed('admin_disabled', 'The admin API is disabled: set ADMIN_TOKEN to enable it.');

/** A 401 of the admin API, with the challenge the caller builds. */
const adminUnauthenticated = (detail: string) => (wwwAuthenticate: string) =>
  new ApiError('not_authenticated', detail, challenged(wwwAuthenticate));

const adminTokenMissing = adminUnauthenticated(
  'The admin API needs Authorization: Bearer <ADMIN_TOKEN or an operator API key>.',
);
const adminTokenInvalid = adminUnauthenticated('The admin token is invalid.');
/** CONTRACT §11: an `adk_…` operator key that is unknown, revoked, or whose operator is disabled. */
const apiKeyInvalid = adminUnauthenticated('The API key is invalid, revoked, or its operator is disabled.');

/** CONTRACT §11: `GET /admin/v1/audit_log?actor=` names no actor. */
const invalidActorFilter = fixed(
  'invalid_request',
  'actor: must be an operator id, an email or admin_token.',
  atParameter('actor'),
);

/** CONTRACT §11: demoting or disabling the last enabled owner. */
function lastOwner(field: 'role' | 'disabled'): ApiError {
  return new ApiError(
    'last_owner',
    'This is the last enabled owner: make another operator an owner first.',
    atPointer(`/${field}`),
  );
}

/** An operator's password change: the current password given is not theirs. */
const wrongCurrentPassword = fixed(
  'invalid_request',
  'The current password is wrong.',
  atPointer('/current_password'),
);
const samePassword = fixed(
  'invalid_request',
  'The new password must differ from the current one.',
  atPointer('/new_password'),
);

/** POST /admin/v1/operators/me/password by ADMIN_TOKEN, which is no operator and has no password. */
const operatorCallerRequired = fixed(
  'permission_denied',
  "Only an operator's API key has a password to change; ADMIN_TOKEN is set in the environment.",
);

/** CONTRACT §11: a key's role is at most its operator's. */
function keyRoleAboveOperator(operatorRole: string): ApiError {
  return new ApiError(
    'invalid_request',
    `A key's role cannot exceed its operator's (${operatorRole}).`,
    atPointer('/role'),
  );
}

/** CONTRACT §11: the console's forms are posted url-encoded. */
const formNotUrlencoded = fixed(
  'unsupported_media_type',
  'Forms are posted as application/x-www-form-urlencoded.',
);

/** CONTRACT §11: a console form's field, told in the form's own words. */
function invalidForm(detail: string, pointer?: string): ApiError {
  return new ApiError('invalid_request', detail, pointer === undefined ? {} : atPointer(pointer));
}

/** CONTRACT §11: the caller's role is below the one the action needs. */
function roleRequired(need: string, have: string): ApiError {
  return new ApiError(
    'permission_denied',
    `This action needs the ${need} role; the caller has the ${have} role.`,
  );
}

/** CONTRACT §12: a meter key may call the metering endpoints and nothing else. */
const meterKeyOnly = fixed(
  'permission_denied',
  'A meter key may call only POST /admin/v1/usage_events and GET /admin/v1/entitlements.',
);

/** CONTRACT §12: entitlements are read by exactly one of the two account ids. */
const oneAccountRequired = fixed(
  'invalid_request',
  'Give exactly one of account_id and external_account_id.',
  atParameter('account_id'),
);

// Resources that are not there (or not the caller's, which answers the same), and body fields
// that name one that is not.

/** A resource's 404: `The requested <what> was not found.` */
const notFound = (code: ErrorCode, what: string) => fixed(code, `The requested ${what} was not found.`);

const enrollmentNotFound = notFound('enrollment_not_found', 'enrollment');
const promotionNotFound = notFound('promotion_not_found', 'promotion');
const partnerNotFound = notFound('partner_not_found', 'partner');
const operatorNotFound = notFound('operator_not_found', 'operator');
const apiKeyNotFound = notFound('api_key_not_found', 'API key');
const accountNotFound = notFound('account_not_found', 'account');
const webhookEndpointNotFound = notFound('webhook_endpoint_not_found', 'webhook endpoint');
const eventNotFound = notFound('event_not_found', 'event');
const testClockNotFound = notFound('test_clock_not_found', 'test clock');

/** POST /v2/promotions: the body's promotion_id names no promotion of this partner. */
const unknownPromotionId = fixed(
  'promotion_not_found',
  'The requested promotion was not found. The specified promotion_id may be invalid.',
  atPointer('/promotion_id'),
);
const unknownPartnerId = fixed(
  'partner_not_found',
  'The partner_id names no partner.',
  atPointer('/partner_id'),
);
const unknownClientId = fixed('partner_not_found', 'No partner has this client_id.', atPointer('/client_id'));
const unknownAccountId = fixed(
  'account_not_found',
  'The account_id names no account.',
  atPointer('/account_id'),
);

// Values another object already holds (409).

const emailTaken = fixed('email_taken', 'An account with this email already exists.', atPointer('/email'));
const operatorEmailTaken = fixed(
  'email_taken',
  'An operator with this email already exists.',
  atPointer('/email'),
);
/** CONTRACT §12: another account has this external id. */
const externalIdTaken = fixed(
  'external_id_taken',
  'Another account has this external_id.',
  atPointer('/external_id'),
);

function promotionExists(id: string): ApiError {
  return new ApiError('promotion_exists', `A promotion with id ${id} already exists.`, atPointer('/id'));
}

// Enrolling (CONTRACT §3) and its Idempotency-Key (CONTRACT §4).

const enrollNeedsUserToken = fixed('permission_denied', 'Enrolling needs a user access token.');

/**
 * `reenrollmentForbidden`: the current enrollment is over (unenrolled or expired) and the
 * promotion does not allow re-enrollment (CONTRACT §3 rule 4): the same code, a detail that
 * says why, since the enrollment itself no longer shows.
 */
function alreadyEnrolled(reenrollmentForbidden = false): ApiError {
  return new ApiError(
    'already_enrolled',
    reenrollmentForbidden
      ? "The account's earlier enrollment in this promotion has ended (unenrolled or expired) and the promotion does not allow re-enrollment."
      : 'The provided account is already enrolled in the specified promotion.',
  );
}

/** `reason`: why the promotion's status or window refuses enrollment now (whyNotEnrollable). */
function promotionNotActive(reason: string): ApiError {
  return new ApiError('promotion_not_active', reason);
}

const promotionFull = fixed('promotion_full', 'The promotion has reached its maximum number of enrollments.');
const invalidIdempotencyKey = fixed(
  'invalid_request',
  'Idempotency-Key must be 1 to 255 printable ASCII characters.',
  atHeader(IDEMPOTENCY_KEY_HEADER),
);
const idempotencyKeyInUse = fixed(
  'idempotency_key_in_use',
  'A request with this Idempotency-Key is still being processed. Retry later.',
  atHeader(IDEMPOTENCY_KEY_HEADER),
);
const idempotencyKeyReused = fixed(
  'idempotency_key_reused',
  'This Idempotency-Key was already used with a different request body.',
  atHeader(IDEMPOTENCY_KEY_HEADER),
);

// Usage (CONTRACT §3 rules 2 and 3).

const occurredInFuture = fixed(
  'invalid_request',
  'occurred_at must not be in the future.',
  atPointer('/occurred_at'),
);
const occurredBeforeEnrollment = fixed(
  'invalid_request',
  'occurred_at must not be before the enrollment date.',
  atPointer('/occurred_at'),
);

/** `reason`: when the enrollment was unenrolled or expired. */
function enrollmentNotActive(reason: string): ApiError {
  return new ApiError('enrollment_not_active', reason);
}

// Admin: promotions, tokens.

/** `field`: `ends_at` when the request set it, else `starts_at` (the one that moved). */
function endsBeforeStart(field: 'starts_at' | 'ends_at'): ApiError {
  return new ApiError('invalid_request', 'ends_at must be after starts_at.', atPointer(`/${field}`));
}

function maxEnrollmentsBelowCount(maxEnrollments: number | null | undefined, count: number): ApiError {
  return new ApiError(
    'max_enrollments_below_count',
    `max_enrollments (${maxEnrollments}) is below enrollments_count (${count}).`,
    atPointer('/max_enrollments'),
  );
}

function scopeNotAllowed(allowedScopes: readonly string[]): ApiError {
  return new ApiError(
    'invalid_scope',
    `The scope must be within the partner's allowed scopes (${allowedScopes.join(' ')}).`,
    atPointer('/scope'),
  );
}

// Webhooks (CONTRACT §8).

/** `reason`: the SSRF check's words (UnsafeUrlError). */
function unsafeWebhookUrl(reason: string): ApiError {
  return new ApiError('invalid_request', reason, atPointer('/url'));
}

// The bootstrap file (CONTRACT §10): every problem at once, nothing changed.

function invalidBootstrapDocument(problems: DocumentProblem[]): ApiErrorList {
  return new ApiErrorList('invalid_request', problems);
}

function bootstrapConflict(problems: DocumentProblem[]): ApiErrorList {
  return new ApiErrorList('bootstrap_conflict', problems);
}

// Test clocks (CONTRACT §9).

const livePartner = fixed(
  'permission_denied',
  'Test helpers are only for sandbox partners; this partner is live (ask for a sandbox partner).',
);
const testClockAdvancing = fixed(
  'test_clock_advancing',
  'The test clock is advancing; retry when it is ready again (GET shows its status).',
);

/** `current`: the clock's time, RFC 3339. */
function clockMovedBack(current: string): ApiError {
  return new ApiError(
    'invalid_request',
    `frozen_time must not be earlier than the clock's current time (${current}): clocks only move forward.`,
    atPointer('/frozen_time'),
  );
}

/** `limit`: the latest time this advance may reach, RFC 3339. */
function advanceTooFar(maxYears: number, limit: string): ApiError {
  return new ApiError(
    'invalid_request',
    `An advance moves a clock at most ${maxYears} years, here up to ${limit}.`,
    atPointer('/frozen_time'),
  );
}

// Limits, overload and failures.

function rateLimited(counter: 'partner' | 'ip', limit: number, retryAfterSeconds: number): ApiError {
  return new ApiError(
    'rate_limited',
    `${counter === 'partner' ? "This partner's" : "This client IP's"} limit of ${limit} requests per hour is spent. Retry after ${retryAfterSeconds} seconds.`,
    { headers: { 'retry-after': String(retryAfterSeconds) } },
  );
}

const internal = fixed('internal_error', 'An unexpected error occurred.');

/** 503 with Retry-After, as each cause tells it: the database, overload, shutdown. */
const unavailable = (detail: string) => fixed('service_unavailable', detail, { headers: retryAfter });

const serviceUnavailable = unavailable('The service is temporarily unavailable. Retry later.');
const databaseUnreachable = unavailable('The database is unreachable.');
const overloaded = unavailable('The server is overloaded. Retry later.');
const shuttingDown = unavailable('The server is shutting down. Retry on another connection.');

/**
 * Every API error, each detail written once (after supabase/storage's `ERRORS`): raise them as
 * `throw ERRORS.partnerNotFound()`, never as an ApiError built where it is raised.
 */
export const ERRORS = {
  routeNotFound,
  frameworkError,
  schemaViolation,
  unstorableValue,
  pathSegmentTooLong,
  malformedUrl,
  headersTooLarge,
  malformedHttp,
  invalidCursor,
  notAuthenticated,
  tokenInQuery,
  invalidBodyToken,
  tokensOfDifferentPartners,
  userTokenRequired,
  appTokenRequired,
  insufficientScope,
  adminDisabled,
  adminTokenMissing,
  adminTokenInvalid,
  apiKeyInvalid,
  roleRequired,
  meterKeyOnly,
  externalIdTaken,
  oneAccountRequired,
  invalidActorFilter,
  lastOwner,
  operatorEmailTaken,
  wrongCurrentPassword,
  samePassword,
  operatorCallerRequired,
  keyRoleAboveOperator,
  formNotUrlencoded,
  invalidForm,
  enrollmentNotFound,
  promotionNotFound,
  unknownPromotionId,
  partnerNotFound,
  unknownPartnerId,
  unknownClientId,
  accountNotFound,
  operatorNotFound,
  apiKeyNotFound,
  unknownAccountId,
  webhookEndpointNotFound,
  eventNotFound,
  testClockNotFound,
  enrollNeedsUserToken,
  alreadyEnrolled,
  promotionNotActive,
  promotionFull,
  invalidIdempotencyKey,
  idempotencyKeyInUse,
  idempotencyKeyReused,
  occurredInFuture,
  occurredBeforeEnrollment,
  enrollmentNotActive,
  emailTaken,
  promotionExists,
  endsBeforeStart,
  maxEnrollmentsBelowCount,
  scopeNotAllowed,
  unsafeWebhookUrl,
  invalidBootstrapDocument,
  bootstrapConflict,
  livePartner,
  testClockAdvancing,
  clockMovedBack,
  advanceTooFar,
  rateLimited,
  internal,
  serviceUnavailable,
  databaseUnreachable,
  overloaded,
  shuttingDown,
} as const;
