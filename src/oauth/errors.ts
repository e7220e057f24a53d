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
  | 'server_error';

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
};

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
    return { error: this.error, error_description: this.message };
  }
}

export const isOAuthError = (err: unknown): err is OAuthError => err instanceof OAuthError;

/** `invalid_client` with the challenge RFC 6749 §5.2 asks for. */
export const invalidClient = (description = 'Client authentication failed.') =>
  new OAuthError('invalid_client', description, {
    'www-authenticate': 'Basic realm="oauth", charset="UTF-8"',
  });
