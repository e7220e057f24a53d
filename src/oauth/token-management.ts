import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateClient, parseForm } from './client-auth.js';
import { noStore, requireParam } from './token-endpoint.js';

/** POST /oauth/revoke (RFC 7009) and POST /oauth/introspect (RFC 7662), both client-authenticated. */
export const tokenManagementEndpoints: FastifyPluginAsync = async (app) => {
  const { partnersRepository: partners, verifiedSecrets, grantService } = app;

  /** Both endpoints' first steps: no-store, the client authenticated, the token its form names. */
  async function clientAndToken(request: FastifyRequest, reply: FastifyReply) {
    noStore(reply);
    const form = parseForm(request);
    const partner = await authenticateClient(request, form, { partners, verifiedSecrets });
    return { partner, token: requireParam(form, 'token') };
  }

  app.post('/oauth/revoke', async function revoke(request, reply) {
    // token_type_hint is only a hint (RFC 7009 §2.1): the token's own prefix says what it is.
    await grantService.revoke(await clientAndToken(request, reply));
    // RFC 7009 §2.2: clients ignore the body; an empty JSON object keeps clients that always
    // parse JSON (simple-oauth2, under @fastify/oauth2) working.
    return reply.code(200).send({});
  });

  app.post('/oauth/introspect', async function introspect(request, reply) {
    return grantService.introspect(await clientAndToken(request, reply));
  });
};
