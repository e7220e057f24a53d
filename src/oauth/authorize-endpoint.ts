import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isDataException } from '../db/errors.js';
import { ERRORS } from '../errors.js';
import { readCookie } from '../http/cookies.js';
import { browserNonce } from '../http/csrf-key.js';
import { readForm, readParams } from '../http/form.js';
import {
  type AuthorizationRequest,
  AuthorizePageError,
  AuthorizeRedirectError,
  redirectWith,
  resolveAuthorizationRequest,
} from './authorize-request.js';
import { REQUEST_FIELDS, renderConsentPage, renderErrorPage, securePage, sendHtml } from './consent-page.js';
import { CSRF_COOKIE, csrfCookie } from './csrf.js';

const PATHS = ['/oauth/authorize', '/v2/authorize'] as const;

/**
 * The status of a redirect back to the client: 303 See Other after the consent form's POST, so
 * every browser follows it with a GET and never re-posts the form's email and password to the
 * client (RFC 9700, on 307 redirects); 302 for errors found on GET, as RFC 6749 §4.1.2.1 shows.
 */
function redirectStatus(request: FastifyRequest): 302 | 303 {
  return request.method === 'POST' ? 303 : 302;
}

const MESSAGES = {
  invalid: 'The email or password is incorrect.',
  missing: 'Enter your email and password to approve.',
  throttled: 'Too many failed sign-in attempts. Wait a few minutes and try again.',
} as const;

/**
 * GET and POST /oauth/authorize (and the /v2/authorize alias): the login-and-consent page
 * and its form post. Errors before the redirect URI is trusted render a page here; later
 * ones go back to the client (RFC 6749 §4.1.2.1).
 */
export const authorizeEndpoint: FastifyPluginAsync = async (app) => {
  const { partnersRepository: partners, csrf, login, grantService, config } = app;
  const secureCookie = config.publicUrl.startsWith('https:');
  // RFC 9207: every authorization response names its issuer, so a client talking to several
  // authorization servers can tell which one answered (mix-up attacks); the metadata says so.
  const iss = config.publicUrl;

  async function renderPage(
    request: FastifyRequest,
    reply: FastifyReply,
    authz: AuthorizationRequest,
    extra: { status?: number; email?: string; message?: string } = {},
  ) {
    const csrfToken = await csrf.issue(
      browserNonce(request, reply, CSRF_COOKIE, (nonce) => csrfCookie(nonce, secureCookie)),
      REQUEST_FIELDS.map((f) => authz.fields[f]),
    );
    const page = renderConsentPage({
      partnerName: authz.partner.name,
      scopes: authz.scopes,
      request: authz.fields,
      csrfToken,
      email: extra.email,
      message: extra.message,
    });
    return sendHtml(securePage(reply, authz.redirectUri), extra.status ?? 200, page);
  }

  /** RFC 6749 §4.1.2.1 step: the form must come from our own page, in this browser. */
  async function checkCsrf(request: FastifyRequest, form: Record<string, string>): Promise<void> {
    const nonce = readCookie(request.headers.cookie, CSRF_COOKIE);
    const fields = REQUEST_FIELDS.map((f) => form[f] ?? '');
    if (!(await csrf.verify(form.csrf_token, nonce, fields))) {
      throw new AuthorizePageError(
        403,
        'Request expired or forged',
        'This form could not be verified. Go back to the application and start again.',
      );
    }
  }

  /** The consent form's post (src/http/form.ts); a bad one is answered on our own page. */
  const readConsentForm = (request: FastifyRequest) =>
    readForm(request, (problem) =>
      problem.kind === 'media_type'
        ? new AuthorizePageError(
            400,
            'Invalid request',
            'The form must be posted as application/x-www-form-urlencoded.',
          )
        : new AuthorizePageError(
            400,
            'Invalid request',
            `The ${problem.name.slice(0, 40)} field is ${problem.kind === 'repeated' ? 'repeated' : 'invalid'}.`,
          ),
    );

  // Page errors and redirects are answered here; anything else goes to the application's handler.
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AuthorizePageError) {
      return sendHtml(securePage(reply), err.statusCode, renderErrorPage(err.title, err.message));
    }
    if (isDataException(err)) {
      // A value PostgreSQL refuses (a NUL byte in client_id, say): the statement changed nothing,
      // and a browser is shown the page's own 400, never the API's JSON.
      request.log.info({ err }, 'database refused a value');
      return sendHtml(
        securePage(reply),
        400,
        renderErrorPage('Invalid request', ERRORS.unstorableValue().message),
      );
    }
    if (err instanceof AuthorizeRedirectError) {
      securePage(reply);
      return reply.redirect(
        redirectWith(err.redirectUri, {
          error: err.error,
          error_description: err.message,
          state: err.state,
          iss,
        }),
        redirectStatus(request),
      );
    }
    // Rethrown: the OAuth scope's handler, then the application's, answer it.
    throw err;
  });

  for (const path of PATHS) {
    app.get(path, async function showConsentPage(request, reply) {
      const authz = await resolveAuthorizationRequest(readParams(request.query), partners);
      return renderPage(request, reply, authz);
    });

    app.post(path, async function submitConsent(request, reply) {
      securePage(reply);
      const form = readConsentForm(request);
      await checkCsrf(request, form);
      const authz = await resolveAuthorizationRequest({ values: form, repeated: [] }, partners);

      if (form.decision === 'deny') {
        return reply.redirect(
          redirectWith(authz.redirectUri, { error: 'access_denied', state: authz.state, iss }),
          redirectStatus(request),
        );
      }
      if (form.decision !== 'approve') {
        throw new AuthorizePageError(400, 'Invalid request', 'The decision must be approve or deny.');
      }
      if (form.email === undefined || form.password === undefined) {
        return renderPage(request, reply, authz, {
          status: 401,
          email: form.email,
          message: MESSAGES.missing,
        });
      }

      const result = await login.attempt({ email: form.email, password: form.password, ip: request.ip });
      if (!result.ok && result.reason === 'throttled') {
        reply.header('retry-after', String(result.retryAfterSeconds));
        return renderPage(request, reply, authz, {
          status: 429,
          email: form.email,
          message: MESSAGES.throttled,
        });
      }
      if (!result.ok) {
        return renderPage(request, reply, authz, {
          status: 401,
          email: form.email,
          message: MESSAGES.invalid,
        });
      }

      const code = await grantService.issueCode({
        partnerId: authz.partner.id,
        accountId: result.account.id,
        redirectUri: authz.redirectUri,
        scopes: authz.scopes,
        codeChallenge: authz.codeChallenge,
      });
      return reply.redirect(
        redirectWith(authz.redirectUri, { code, state: authz.state, iss }),
        redirectStatus(request),
      );
    });
  }
};
