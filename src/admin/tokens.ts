import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accessGrant } from '../auth/access-grant.js';
import { parseOpaque } from '../auth/token-service.js';
import { ERRORS } from '../errors.js';
import { errorResponses as errors } from '../schemas.js';
import { apiAudit } from './admin-auth.js';
import { MintTokenSchema, TokenResponseSchema } from './schemas.js';

/** /admin/v1/tokens: access tokens minted for a partner without the OAuth dance (auth/access-grant.ts decides them). */
export const tokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const { partnersRepository: partners, accountsRepository: accounts, tokenService, auditLog } = app;

  app.post(
    '/tokens',
    {
      schema: {
        body: MintTokenSchema,
        response: { 201: TokenResponseSchema, ...errors(400, 401, 403, 404, 413, 415, 503) },
      },
      config: { role: 'owner' },
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
      // CONTRACT §11: who minted which token for whom; the token's id, never its secret.
      const token = await auditLog.write(apiAudit(request), async (tx) => {
        const issued = await tokenService.issueAccessToken(grant, tx);
        return {
          result: issued,
          entry: {
            action: 'token.minted',
            objectType: 'access_token',
            objectId: parseOpaque(issued.access_token, 'at')?.id ?? 'unknown',
            changes: {
              partner_id: { before: null, after: partner.id },
              account_id: { before: null, after: account_id ?? null },
              scope: { before: null, after: issued.scope },
            },
          },
        };
      });
      return reply.code(201).header('cache-control', 'no-store').send(token);
    },
  );
};
