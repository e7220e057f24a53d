import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { safeEqual } from '../auth/secrets.js';
import { ApiError } from '../errors.js';
import { registerWebhookRoutes } from './routes.js';

export interface WebhookAdminOptions {
  /** null: the admin API answers 503 admin_disabled. */
  adminToken: string | null;
}

/**
 * The admin mirror: /admin/v1/partners/{id}/webhook_endpoints and …/events, for any partner.
 * The ADMIN_TOKEN check repeats the one of admin/routes.ts (same answers); once that file
 * is split per resource, both should use one shared guard.
 */
export const webhookAdminRoutes: FastifyPluginAsyncZod<WebhookAdminOptions> = async (app, options) => {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (options.adminToken === null) {
      throw new ApiError('admin_disabled', 'The admin API is disabled: set ADMIN_TOKEN to enable it.');
    }
    const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
    if (!match) {
      throw new ApiError('not_authenticated', 'The admin API needs Authorization: Bearer <ADMIN_TOKEN>.', {
        headers: { 'www-authenticate': 'Bearer realm="admin"' },
      });
    }
    if (!safeEqual(match[1]!, options.adminToken)) {
      throw new ApiError('not_authenticated', 'The admin token is invalid.', {
        headers: { 'www-authenticate': 'Bearer realm="admin", error="invalid_token"' },
      });
    }
  });

  const { partners } = app.services;
  registerWebhookRoutes(app, {
    base: '/partners/:partner_id',
    baseParams: { partner_id: z.string() },
    partnerOf: async (request) => {
      const id = (request.params as { partner_id: string }).partner_id;
      const partner = z.uuid().safeParse(id).success ? await partners.findById(id) : undefined;
      if (!partner) throw new ApiError('partner_not_found', 'The requested partner was not found.');
      return partner.id;
    },
    common: [400, 401, 503],
    operationPrefix: 'admin_',
  });
};
