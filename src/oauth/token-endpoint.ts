import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { accessGrant } from '../auth/access-grant.js';
import { NO_STORE_HEADERS } from '../errors.js';
import { authenticateClient, type FormBody, parseForm } from './client-auth.js';
import { OAuthError } from './errors.js';
import { CODE_VERIFIER } from './pkce.js';
import { invalidScope } from './scopes.js';

/** RFC 6749 §5.1: token responses and errors are never cached. */
export const noStore = (reply: FastifyReply) => reply.headers(NO_STORE_HEADERS);

export function requireParam(form: FormBody, name: string): string {
  const value = form[name];
  if (value === undefined) throw new OAuthError('invalid_request', `The ${name} parameter is required.`);
  return value;
}

/** POST /oauth/token: client_credentials, authorization_code (PKCE) and refresh_token. */
export const tokenEndpoint: FastifyPluginAsync = async (app) => {
  const { partnersRepository: partners, verifiedSecrets, tokenService, grantService } = app;

  app.post('/oauth/token', async function token(request, reply) {
    noStore(reply);
    const form = parseForm(request);
    const partner = await authenticateClient(request, form, { partners, verifiedSecrets });
    switch (form.grant_type) {
      case undefined:
        throw new OAuthError('invalid_request', 'The grant_type parameter is required.');

      case 'client_credentials': {
        const grant = accessGrant(partner, null, form.scope);
        if (!grant) throw invalidScope();
        return tokenService.issueAccessToken(grant);
      }

      case 'authorization_code': {
        const code = requireParam(form, 'code');
        const redirectUri = requireParam(form, 'redirect_uri');
        const codeVerifier = requireParam(form, 'code_verifier');
        if (!CODE_VERIFIER.test(codeVerifier)) {
          throw new OAuthError('invalid_request', 'code_verifier must be 43 to 128 unreserved characters.');
        }
        return grantService.exchangeCode({ partner, code, redirectUri, codeVerifier });
      }

      case 'refresh_token': {
        const refreshToken = requireParam(form, 'refresh_token');
        return grantService.refresh({ partner, refreshToken, scope: form.scope });
      }

      default:
        throw new OAuthError(
          'unsupported_grant_type',
          `The grant type ${JSON.stringify(form.grant_type).slice(0, 80)} is not supported.`,
        );
    }
  });
};
