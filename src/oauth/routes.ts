import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { parseScopeString, type Scope } from '../auth/scopes.js';
import { authenticateClient, parseForm } from './client-auth.js';
import { OAuthError } from './errors.js';

const noStore = (reply: FastifyReply) => reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' });

/** Scopes asked for must be within the partner's allowed ones; none asked means all allowed ones. */
export function grantScopes(requested: string | undefined, allowed: readonly string[]): Scope[] {
  if (requested === undefined) return parseScopeString(allowed.join(' ')) ?? [];
  const scopes = parseScopeString(requested);
  if (!scopes || scopes.length === 0 || !scopes.every((s) => allowed.includes(s))) {
    throw new OAuthError(
      'invalid_scope',
      'The requested scope is invalid, unknown, or exceeds what the client may request.',
    );
  }
  return scopes;
}

/** The OAuth 2 authorization server (SPEC §5). Form bodies are parsed only inside this scope. */
export const oauthRoutes: FastifyPluginAsync = async (app) => {
  await app.register(formbody, { bodyLimit: 16_384 });
  const { partners, tokens } = app.services;

  app.post('/oauth/token', async (request, reply) => {
    noStore(reply);
    const form = parseForm(request);
    const partner = await authenticateClient(request, form, partners);
    switch (form.grant_type) {
      case undefined:
        throw new OAuthError('invalid_request', 'The grant_type parameter is required.');
      case 'client_credentials': {
        const scopes = grantScopes(form.scope, partner.scopes);
        return tokens.issueAccessToken({ kind: 'app', partnerId: partner.id, accountId: null, scopes });
      }
      default:
        throw new OAuthError(
          'unsupported_grant_type',
          `The grant type ${JSON.stringify(form.grant_type).slice(0, 80)} is not supported.`,
        );
    }
  });
};
