import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accessGrant } from '../auth/access-grant.js';
import { ApiError } from '../errors.js';
import { errorResponses as errors } from '../schemas.js';
import { MintTokenSchema, TokenResponseSchema } from './schemas.js';

/** /admin/v1/tokens: access tokens minted for a partner without the OAuth dance (auth/access-grant.ts decides them). */
export const tokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const { partners, accounts, tokens } = app;

  app.post(
    '/tokens',
    {
      schema: {
        body: MintTokenSchema,
        response: { 201: TokenResponseSchema, ...errors(400, 401, 404, 413, 415, 503) },
      },
    },
    async function mintToken(request, reply) {
      const { client_id, account_id, scope } = request.body;
      const partner = await partners.findByClientId(client_id);
      if (!partner) {
        throw new ApiError('partner_not_found', 'No partner has this client_id.', {
          source: { pointer: '/client_id' },
        });
      }
      if (account_id !== undefined && !(await accounts.findById(account_id))) {
        throw new ApiError('account_not_found', 'The account_id names no account.', {
          source: { pointer: '/account_id' },
        });
      }
      const grant = accessGrant(partner, account_id ?? null, scope);
      if (!grant) {
        throw new ApiError(
          'invalid_scope',
          `The scope must be within the partner's allowed scopes (${partner.scopes.join(' ')}).`,
          { source: { pointer: '/scope' } },
        );
      }
      const token = await tokens.issueAccessToken(grant);
      return reply.code(201).header('cache-control', 'no-store').send(token);
    },
  );
};
