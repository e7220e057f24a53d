import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accessGrant } from '../auth/access-grant.js';
import { ERRORS } from '../errors.js';
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
      if (!partner) throw ERRORS.unknownClientId();
      if (account_id !== undefined && !(await accounts.findById(account_id))) {
        throw ERRORS.unknownAccountId();
      }
      const grant = accessGrant(partner, account_id ?? null, scope);
      if (!grant) throw ERRORS.scopeNotAllowed(partner.scopes);
      const token = await tokens.issueAccessToken(grant);
      return reply.code(201).header('cache-control', 'no-store').send(token);
    },
  );
};
