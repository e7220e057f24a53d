// The OAuth errors (RFC 6749 §5.2): `{error, error_description}` with `Cache-Control: no-store`,
// never the API envelope. Like the API's catalogue (src/errors.ts), every one the token, revoke
// and introspect endpoints answer is built here, by name — raise them as
// `throw OAUTH_ERRORS.codeInvalid()`, never as an OAuthError built where it is raised — and
// test/oauth/error-catalogue.test.ts holds the catalogue and openapi/oauth.yaml to each other.

/** Every RFC 6749 error code, including those only ever sent to a redirect URI (§4.1.2.1). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'server_error'
  | 'temporarily_unavailable';

/** The codes the server answers in a JSON body, with their HTTP status. */
export const OAUTH_ERROR_CATALOGUE = {
  invalid_request: { status: 400 },
  invalid_client: { status: 401 },
  invalid_grant: { status: 400 },
  unsupported_grant_type: { status: 400 },
  invalid_scope: { status: 400 },
  // Only for a spent request limit here (see rateLimited below), hence 429.
  temporarily_unavailable: { status: 429 },
} as const satisfies Partial<Record<OAuthErrorCode, { status: number }>>;

export type OAuthResponseCode = keyof typeof OAUTH_ERROR_CATALOGUE;

/** `error_description`'s bound in openapi/oauth.yaml: a description may quote a parameter's name. */
export const MAX_DESCRIPTION_LENGTH = 1000;

export class OAuthError extends Error {
  readonly error: OAuthResponseCode;
  readonly statusCode: number;
  readonly headers: Record<string, string>;

  constructor(error: OAuthResponseCode, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.name = 'OAuthError';
    this.error = error;
    this.statusCode = OAUTH_ERROR_CATALOGUE[error].status;
    this.headers = headers;
  }

  toBody(): { error: OAuthResponseCode; error_description: string } {
    const description =
      this.message.length > MAX_DESCRIPTION_LENGTH
        ? `${this.message.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…`
        : this.message;
    return { error: this.error, error_description: description };
  }
}

export const isOAuthError = (err: unknown): err is OAuthError => err instanceof OAuthError;

/** The factory of an error whose description never varies: a fresh OAuthError each time. */
const fixed = (error: OAuthResponseCode, description: string) => (): OAuthError =>
  new OAuthError(error, description);

// The request (invalid_request).

const formMediaType = fixed('invalid_request', 'The request body must be application/x-www-form-urlencoded.');

/** A form parameter given twice, or one that cannot be read (src/oauth/form.ts). */
function formParameter(name: string, kind: 'repeated' | 'invalid'): OAuthError {
  return new OAuthError('invalid_request', `The ${name.slice(0, 40)} parameter is ${kind}.`);
}

function parameterRequired(name: string): OAuthError {
  return new OAuthError('invalid_request', `The ${name} parameter is required.`);
}

const codeVerifierMalformed = fixed(
  'invalid_request',
  'code_verifier must be 43 to 128 unreserved characters.',
);

/** A body Fastify itself refused to read; `description` from FRAMEWORK_ERROR_DETAILS. */
function malformedRequest(description: string): OAuthError {
  return new OAuthError('invalid_request', description);
}

/** RFC 6749 §2.3: a client authenticates one way, never both. */
const credentialsTwice = fixed(
  'invalid_request',
  'Client credentials were sent both in the Authorization header and in the body.',
);

// Client authentication (invalid_client), with the challenge RFC 6749 §5.2 asks for.

function invalidClient(description: string): OAuthError {
  return new OAuthError('invalid_client', description, {
    'www-authenticate': 'Basic realm="oauth", charset="UTF-8"',
  });
}

const basicSchemeRequired = () => invalidClient('The Authorization header must use the Basic scheme.');
const basicCredentialsMalformed = () => invalidClient('The Basic credentials are malformed.');
const clientAuthenticationRequired = () => invalidClient('Client authentication is required.');
const clientAuthenticationFailed = () => invalidClient('Client authentication failed.');
/** CONTRACT §6: a disabled partner's client credentials are refused at once. */
const clientDisabled = () => invalidClient('The client is disabled.');

// Grants (invalid_grant): codes and refresh tokens.

const codeInvalid = fixed('invalid_grant', 'The authorization code is invalid or expired.');
/** A spent code presented again; its grant's tokens are revoked with it. */
const codeUsed = fixed('invalid_grant', 'The authorization code was already used.');
const codeRedirectUriMismatch = fixed(
  'invalid_grant',
  'The redirect_uri does not match the one of the authorization request.',
);
const codeVerifierMismatch = fixed('invalid_grant', 'The code_verifier does not match the code_challenge.');
const refreshTokenInvalid = fixed('invalid_grant', 'The refresh token is invalid, expired or revoked.');
/** RFC 9700 §4.14.2: a spent refresh token came back, so its whole family is revoked. */
const refreshTokenReused = fixed(
  'invalid_grant',
  'The refresh token was already used; its grant is revoked.',
);

// Grant types and scopes.

function unsupportedGrantType(grantType: string): OAuthError {
  return new OAuthError(
    'unsupported_grant_type',
    `The grant type ${JSON.stringify(grantType).slice(0, 80)} is not supported.`,
  );
}

/** A request beyond the partner's allowed scopes. */
const scopeNotAllowed = fixed(
  'invalid_scope',
  'The requested scope is invalid, unknown, or exceeds what the client may request.',
);
/** RFC 6749 §6: a refresh may keep or narrow the granted scopes, never widen them. */
const scopeBeyondGrant = fixed('invalid_scope', 'The requested scope exceeds the scope originally granted.');

/**
 * A spent request limit on an endpoint that OAuth clients call (token, revoke, introspect):
 * RFC 6749 has no code for it, so `temporarily_unavailable`, the registered code that means
 * "temporary overloading, try later" (RFC 6749 §4.1.2.1), with the limiter's Retry-After.
 * Not `invalid_request` (nothing is wrong with the request, and clients do not retry it) nor
 * `slow_down` (RFC 8628's device-flow polling signal).
 */
function rateLimited(description: string, headers: Record<string, string>): OAuthError {
  return new OAuthError('temporarily_unavailable', description, headers);
}

export const OAUTH_ERRORS = {
  formMediaType,
  formParameter,
  parameterRequired,
  codeVerifierMalformed,
  malformedRequest,
  credentialsTwice,
  basicSchemeRequired,
  basicCredentialsMalformed,
  clientAuthenticationRequired,
  clientAuthenticationFailed,
  clientDisabled,
  codeInvalid,
  codeUsed,
  codeRedirectUriMismatch,
  codeVerifierMismatch,
  refreshTokenInvalid,
  refreshTokenReused,
  unsupportedGrantType,
  scopeNotAllowed,
  scopeBeyondGrant,
  rateLimited,
};
