import type { PartnerRow, PartnersRepository } from '../auth/partners-repository.js';
import { formatScopes, type Scope } from '../auth/scopes.js';
import type { FormParams } from '../http/form.js';
import type { RequestField } from './consent-page.js';
import { isOAuthError, type OAuthErrorCode } from './errors.js';
import { S256_CHALLENGE } from './pkce.js';
import { grantScopes } from './scopes.js';

/**
 * An error shown on this server's own page, never redirected: the client or its redirect URI
 * cannot be trusted yet (RFC 6749 §4.1.2.1), or the form post itself is not acceptable.
 */
export class AuthorizePageError extends Error {
  constructor(
    readonly statusCode: 400 | 403,
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthorizePageError';
  }
}

/** An error sent back to the client's redirect URI as `error`, `error_description`, `state`. */
export class AuthorizeRedirectError extends Error {
  constructor(
    readonly redirectUri: string,
    readonly state: string | undefined,
    readonly error: OAuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthorizeRedirectError';
  }
}

export interface AuthorizationRequest {
  partner: PartnerRow;
  redirectUri: string;
  scopes: Scope[];
  state: string | undefined;
  codeChallenge: string;
  /** The request as the consent form carries it (normalised), which the CSRF token covers. */
  fields: Record<RequestField, string>;
}

const MAX_STATE_LENGTH = 1024;

// The steps, in the order RFC 6749 §4.1.2.1 implies: first what decides whether the redirect
// URI can be trusted (errors → our page), then the rest (errors → the client's redirect URI).

async function loadClient(params: FormParams, partners: PartnersRepository): Promise<PartnerRow> {
  if (params.repeated.includes('client_id')) {
    throw new AuthorizePageError(400, 'Invalid request', 'The client_id parameter is repeated.');
  }
  const clientId = params.values.client_id;
  if (clientId === undefined) {
    throw new AuthorizePageError(400, 'Invalid request', 'The request has no client_id.');
  }
  const partner = clientId.length <= 200 ? await partners.findByClientId(clientId) : undefined;
  if (!partner) {
    throw new AuthorizePageError(
      400,
      'Unknown application',
      'No application is registered with this client_id.',
    );
  }
  if (partner.disabledAt) {
    throw new AuthorizePageError(
      400,
      'Application disabled',
      'This application is disabled by the operator.',
    );
  }
  return partner;
}

function checkRedirectUri(params: FormParams, partner: PartnerRow): string {
  if (params.repeated.includes('redirect_uri')) {
    throw new AuthorizePageError(400, 'Invalid request', 'The redirect_uri parameter is repeated.');
  }
  const redirectUri = params.values.redirect_uri;
  if (redirectUri === undefined) {
    throw new AuthorizePageError(400, 'Invalid request', 'The request has no redirect_uri.');
  }
  // Exact string match, no normalisation: the only safe comparison (RFC 9700 §4.1.3).
  if (!partner.redirectUris.includes(redirectUri)) {
    throw new AuthorizePageError(
      400,
      'Invalid redirect URI',
      'The redirect_uri does not match any redirect URI registered for this application.',
    );
  }
  return redirectUri;
}

function rejectDupes(params: FormParams): void {
  const [first] = params.repeated;
  if (first !== undefined)
    throw redirectable('invalid_request', `The ${first.slice(0, 40)} parameter is repeated.`);
}

function checkResponseType(params: FormParams): void {
  const type = params.values.response_type;
  if (type === undefined) throw redirectable('invalid_request', 'The response_type parameter is required.');
  if (type !== 'code')
    throw redirectable('unsupported_response_type', 'Only response_type=code is supported.');
}

function checkState(params: FormParams): void {
  const state = params.values.state;
  if (state !== undefined && state.length > MAX_STATE_LENGTH) {
    throw redirectable(
      'invalid_request',
      `The state parameter must not exceed ${MAX_STATE_LENGTH} characters.`,
    );
  }
}

function checkPkce(params: FormParams): string {
  const challenge = params.values.code_challenge;
  const method = params.values.code_challenge_method;
  if (challenge === undefined) {
    throw redirectable(
      'invalid_request',
      'PKCE is required: send code_challenge and code_challenge_method=S256.',
    );
  }
  // RFC 7636 §4.3: an absent method means plain, which this server refuses (§4.4.1).
  if (method !== 'S256') {
    throw redirectable('invalid_request', 'code_challenge_method must be S256; plain is not supported.');
  }
  if (!S256_CHALLENGE.test(challenge)) {
    throw redirectable(
      'invalid_request',
      'code_challenge must be the 43-character BASE64URL(SHA256(code_verifier)).',
    );
  }
  return challenge;
}

/** Marker for errors that may travel to the redirect URI once it is known to be good. */
class Redirectable extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    message: string,
  ) {
    super(message);
  }
}
const redirectable = (error: OAuthErrorCode, message: string) => new Redirectable(error, message);

/** Validates an authorization request (GET, and again on the form post). */
export async function resolveAuthorizationRequest(
  params: FormParams,
  partners: PartnersRepository,
): Promise<AuthorizationRequest> {
  const partner = await loadClient(params, partners);
  const redirectUri = checkRedirectUri(params, partner);
  const state = params.repeated.includes('state') ? undefined : params.values.state;
  try {
    rejectDupes(params);
    checkState(params);
    checkResponseType(params);
    const scopes = grantScopes(params.values.scope, partner.scopes);
    const codeChallenge = checkPkce(params);
    return {
      partner,
      redirectUri,
      scopes,
      state,
      codeChallenge,
      fields: {
        response_type: 'code',
        client_id: partner.clientId,
        redirect_uri: redirectUri,
        scope: formatScopes(scopes),
        state: state ?? '',
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      },
    };
  } catch (err) {
    if (err instanceof Redirectable)
      throw new AuthorizeRedirectError(redirectUri, state, err.error, err.message);
    if (isOAuthError(err)) throw new AuthorizeRedirectError(redirectUri, state, err.error, err.message);
    throw err;
  }
}

/** `redirect_uri` with the given parameters added to whatever query it already has. */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.append(key, value);
  }
  return url.toString();
}
