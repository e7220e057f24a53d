import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { accessGrant } from '../auth/access-grant.js';
import { NO_STORE_HEADERS } from '../errors.js';
import { authenticateClient, type FormBody, parseForm } from './client-auth.js';
import { OAUTH_ERRORS } from './errors.js';
import { CODE_VERIFIER } from './pkce.js';

/** RFC 6749 §5.1: token responses and errors are never cached. */
export const noStore = (reply: FastifyReply) => reply.headers(NO_STORE_HEADERS);

export function requireParam(form: FormBody, name: string): string {
  const value = form[name];
  if (value === undefined) throw OAUTH_ERRORS.parameterRequired(name);
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
        throw OAUTH_ERRORS.parameterRequired('grant_type');

      case 'client_credentials': {
        const grant = accessGrant(partner, null, form.scope);
        if (!grant) throw OAUTH_ERRORS.scopeNotAllowed();
        return tokenService.issueAccessToken(grant);
      }

      case 'authorization_code': {
        const code = requireParam(form, 'code');
        const redirectUri = requireParam(form, 'redirect_uri');
        const codeVerifier = requireParam(form, 'code_verifier');
        if (!CODE_VERIFIER.test(codeVerifier)) {
          throw OAUTH_ERRORS.codeVerifierMalformed();
        }
        return grantService.exchangeCode({ partner, code, redirectUri, codeVerifier });
      }

      case 'refresh_token': {
        const refreshToken = requireParam(form, 'refresh_token');
        return grantService.refresh({ partner, refreshToken, scope: form.scope });
      }

      default:
        throw OAUTH_ERRORS.unsupportedGrantType(form.grant_type);
    }
  });
};
