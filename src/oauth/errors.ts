/** RFC 6749 §5.2 errors: `{error, error_description}`, never the API envelope. */
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

const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  access_denied: 403,
  unsupported_response_type: 400,
  server_error: 500,
  // Only for a spent request limit here (see rateLimitedOAuthError), hence 429.
  temporarily_unavailable: 429,
};

/** `error_description`'s bound in openapi/oauth.yaml: a description may quote a parameter's name. */
export const MAX_DESCRIPTION_LENGTH = 1000;

export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly statusCode: number;
  readonly headers: Record<string, string>;

  constructor(error: OAuthErrorCode, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.name = 'OAuthError';
    this.error = error;
    this.statusCode = STATUS[error];
    this.headers = headers;
  }

  toBody(): { error: OAuthErrorCode; error_description: string } {
    const description =
      this.message.length > MAX_DESCRIPTION_LENGTH
        ? `${this.message.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…`
        : this.message;
    return { error: this.error, error_description: description };
  }
}

export const isOAuthError = (err: unknown): err is OAuthError => err instanceof OAuthError;

/** `invalid_client` with the challenge RFC 6749 §5.2 asks for. */
export const invalidClient = (description = 'Client authentication failed.') =>
  new OAuthError('invalid_client', description, {
    'www-authenticate': 'Basic realm="oauth", charset="UTF-8"',
  });

/**
 * A spent request limit on an endpoint that OAuth clients call (token, revoke, introspect):
 * RFC 6749 has no code for it, so `temporarily_unavailable`, the registered code that means
 * "temporary overloading, try later" (RFC 6749 §4.1.2.1), with the limiter's Retry-After.
 * Not `invalid_request` (nothing is wrong with the request, and clients do not retry it) nor
 * `slow_down` (RFC 8628's device-flow polling signal).
 */
export function rateLimitedOAuthError(description: string, headers: Record<string, string>): OAuthError {
  return new OAuthError('temporarily_unavailable', description, headers);
}
