import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERRORS } from '../errors.js';
import { registerWebhookRoutes } from '../webhooks/routes.js';
import { apiAudit } from './admin-auth.js';

/**
 * The admin mirror: /admin/v1/partners/{id}/webhook_endpoints and …/events, for any partner,
 * inside the /admin/v1 scope (its admin-auth guards it).
 */
export const webhookAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { partnersRepository: partners } = app;
  registerWebhookRoutes(app, {
    base: '/partners/:partner_id',
    baseParams: { partner_id: z.string().max(36) },
    partnerOf: async function partnerOfPath(request) {
      const id = (request.params as { partner_id: string }).partner_id;
      const partner = z.uuid().safeParse(id).success ? await partners.findById(id) : undefined;
      if (!partner) throw ERRORS.partnerNotFound();
      return partner.id;
    },
    common: [400, 401, 503],
    operationPrefix: 'admin_',
    // CONTRACT §11: reads for viewers, changes for editors, a new signing secret for owners.
    roles: { read: 'viewer', write: 'editor', secret: 'owner' },
    audit: apiAudit,
  });
};
