import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreatePartnerSchema, PartnerSchema, UpdatePartnerSchema } from '../auth/schemas.js';
import { ListQuerySchema, pageOf } from '../pagination.js';
import { errorResponses as errors } from '../schemas.js';
import { apiAudit } from './admin-auth.js';

const PartnerParams = z.object({ partner_id: z.string().max(36) });
const PartnerWithSecretSchema = PartnerSchema.extend({ client_secret: z.string() });

/** /admin/v1/partners: OAuth clients; the client secret is shown once, at creation or rotation. */
export const partnerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { partnerService } = app;

  app.post(
    '/partners',
    {
      schema: {
        body: CreatePartnerSchema,
        response: { 201: PartnerWithSecretSchema, ...errors(400, 401, 403, 413, 415, 503) },
      },
      config: { role: 'owner' },
    },
    async function createPartner(request, reply) {
      const partner = await partnerService.createPartner(request.body, apiAudit(request));
      return reply.code(201).header('location', `/admin/v1/partners/${partner.id}`).send(partner);
    },
  );

  app.get(
    '/partners',
    {
      schema: {
        querystring: ListQuerySchema,
        response: { 200: pageOf(PartnerSchema), ...errors(400, 401, 503) },
      },
      config: { role: 'viewer' },
    },
    async function listPartners(request) {
      return partnerService.listPartners(request.query);
    },
  );

  app.get(
    '/partners/:partner_id',
    {
      schema: { params: PartnerParams, response: { 200: PartnerSchema, ...errors(401, 404, 503) } },
      config: { role: 'viewer' },
    },
    async function getPartner(request) {
      return partnerService.getPartner(request.params.partner_id);
    },
  );

  app.patch(
    '/partners/:partner_id',
    {
      schema: {
        params: PartnerParams,
        body: UpdatePartnerSchema,
        response: { 200: PartnerSchema, ...errors(400, 401, 403, 404, 413, 415, 503) },
      },
      config: { role: 'owner' },
    },
    async function updatePartner(request) {
      return partnerService.updatePartner(request.params.partner_id, request.body, apiAudit(request));
    },
  );

  app.post(
    '/partners/:partner_id/rotate_secret',
    {
      schema: {
        params: PartnerParams,
        response: { 200: PartnerWithSecretSchema, ...errors(400, 401, 403, 404, 503) },
      },
      config: { role: 'owner' },
    },
    async function rotatePartnerSecret(request, reply) {
      const partner = await partnerService.rotatePartnerSecret(request.params.partner_id, apiAudit(request));
      return reply.header('cache-control', 'no-store').send(partner);
    },
  );
};
