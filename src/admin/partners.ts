import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SCOPES } from '../auth/scopes.js';
import { hashSecret, randomId } from '../auth/secrets.js';
import { ERRORS } from '../errors.js';
import { errorResponses as errors } from '../schemas.js';
import { toPartnerResource } from './resources.js';
import { CreatePartnerSchema, PartnerSchema } from './schemas.js';

/** /admin/v1/partners: OAuth clients; the client secret is shown once, at creation. */
export const partnerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { partners, clock } = app;

  app.post(
    '/partners',
    {
      schema: {
        body: CreatePartnerSchema,
        response: {
          201: PartnerSchema.extend({ client_secret: z.string() }),
          ...errors(400, 401, 413, 415, 503),
        },
      },
    },
    async function createPartner(request, reply) {
      const clientSecret = `cs_${randomId(32)}`;
      const partner = await partners.insert({
        id: randomUUID(),
        name: request.body.name,
        clientId: `ci_${randomId(16)}`,
        clientSecretHash: await hashSecret(clientSecret),
        redirectUris: request.body.redirect_uris,
        scopes: [...(request.body.scopes ?? SCOPES)].sort(),
        sandbox: request.body.sandbox,
        createdAt: clock.now(),
      });
      return reply
        .code(201)
        .header('location', `/admin/v1/partners/${partner.id}`)
        .send({ ...toPartnerResource(partner), client_secret: clientSecret });
    },
  );

  app.get(
    '/partners/:partner_id',
    {
      schema: {
        params: z.object({ partner_id: z.string() }),
        response: { 200: PartnerSchema, ...errors(401, 404, 503) },
      },
    },
    async function getPartner(request) {
      const id = request.params.partner_id;
      const partner = z.uuid().safeParse(id).success ? await partners.findById(id) : undefined;
      if (!partner) throw ERRORS.partnerNotFound();
      return toPartnerResource(partner);
    },
  );
};
