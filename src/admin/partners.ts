import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreatePartnerSchema, PartnerSchema, UpdatePartnerSchema } from '../auth/schemas.js';
import { ListQuerySchema } from '../pagination.js';
import { registerResourceRoutes } from './resource-routes.js';

const PartnerParams = z.object({ partner_id: z.string().max(36) });
const PartnerWithSecretSchema = PartnerSchema.extend({ client_secret: z.string() });

/** /admin/v1/partners: OAuth clients; the client secret is shown once, at creation or rotation. */
export const partnerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { createPartner, listPartners, getPartner, updatePartner, rotatePartnerSecret } = app.partnerService;

  registerResourceRoutes(app, {
    collection: '/partners',
    params: PartnerParams,
    resource: PartnerSchema,
    roles: { read: 'viewer', write: 'owner' },
    create: {
      body: CreatePartnerSchema,
      response: PartnerWithSecretSchema,
      errors: [400, 401, 403, 413, 415, 503],
      run: createPartner,
    },
    list: { querystring: ListQuerySchema, errors: [400, 401, 503], run: listPartners },
    get: { errors: [401, 404, 503], run: getPartner },
    update: { body: UpdatePartnerSchema, errors: [400, 401, 403, 404, 413, 415, 503], run: updatePartner },
    reveal: {
      name: 'rotate_secret',
      response: PartnerWithSecretSchema,
      headers: { 'cache-control': 'no-store' },
      errors: [400, 401, 403, 404, 503],
      run: rotatePartnerSecret,
    },
  });
};
