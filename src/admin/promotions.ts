import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERRORS } from '../errors.js';
import { ListQuerySchema, readAfterId, toPage } from '../pagination.js';
import { toPromotionResource } from '../promotions/resource.js';
import {
  CreatePromotionSchema,
  PromotionSchema,
  toPromotionChanges,
  toPromotionInput,
  UpdatePromotionSchema,
} from '../promotions/schemas.js';
import { PROMOTION_ID_PATTERN } from '../rules/enrollment-id.js';
import { registerResourceRoutes } from './resource-routes.js';

/** /admin/v1/promotions: create, list (by id), read and change promotions. */
export const promotionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { promotionsRepository: promotions, promotionService } = app;

  registerResourceRoutes(app, {
    collection: '/promotions',
    params: z.object({ promotion_id: z.string().min(1).max(64) }),
    resource: PromotionSchema,
    roles: { read: 'viewer', write: 'editor' },
    create: {
      body: CreatePromotionSchema,
      errors: [400, 401, 403, 404, 409, 413, 415, 503],
      run: async (body, audit) =>
        toPromotionResource(await promotionService.create(toPromotionInput(body), audit)),
    },
    list: {
      querystring: ListQuerySchema.extend({ partner_id: z.uuid().optional() }),
      errors: [400, 401, 503],
      run: async ({ limit, cursor, partner_id }) => {
        const after = readAfterId(cursor);
        const rows = await promotions.list({ limit: limit + 1, after, partnerId: partner_id });
        return toPage(rows, limit, toPromotionResource, (last) => ({ after: last.id }));
      },
    },
    get: {
      errors: [401, 404, 503],
      run: async (id) => {
        const promotion = PROMOTION_ID_PATTERN.test(id) ? await promotions.findWithCount(id) : undefined;
        if (!promotion) throw ERRORS.promotionNotFound();
        return toPromotionResource(promotion);
      },
    },
    update: {
      body: UpdatePromotionSchema,
      errors: [400, 401, 403, 404, 409, 413, 415, 503],
      run: async (id, body, audit) =>
        toPromotionResource(await promotionService.update(id, toPromotionChanges(body), audit)),
    },
  });
};
