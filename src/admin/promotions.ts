import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERRORS } from '../errors.js';
import { ListQuerySchema, pageOf, readAfterId, toPage } from '../pagination.js';
import { toPromotionResource } from '../promotions/resource.js';
import {
  CreatePromotionSchema,
  PromotionSchema,
  toPromotionChanges,
  toPromotionInput,
  UpdatePromotionSchema,
} from '../promotions/schemas.js';
import { PROMOTION_ID_PATTERN } from '../rules/enrollment-id.js';
import { errorResponses as errors } from '../schemas.js';
import { apiAudit } from './admin-auth.js';

/** /admin/v1/promotions: create, list (by id), read and change promotions. */
export const promotionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { promotionsRepository: promotions, promotionService } = app;

  app.post(
    '/promotions',
    {
      schema: {
        body: CreatePromotionSchema,
        response: { 201: PromotionSchema, ...errors(400, 401, 403, 404, 409, 413, 415, 503) },
      },
      config: { role: 'editor' },
    },
    async function createPromotion(request, reply) {
      const created = await promotionService.create(toPromotionInput(request.body), apiAudit(request));
      return reply
        .code(201)
        .header('location', `/admin/v1/promotions/${created.id}`)
        .send(toPromotionResource(created));
    },
  );

  app.get(
    '/promotions',
    {
      schema: {
        querystring: ListQuerySchema.extend({ partner_id: z.uuid().optional() }),
        response: { 200: pageOf(PromotionSchema), ...errors(400, 401, 503) },
      },
      config: { role: 'viewer' },
    },
    async function listPromotions(request) {
      const { limit, cursor, partner_id } = request.query;
      const after = readAfterId(cursor);
      const rows = await promotions.list({ limit: limit + 1, after, partnerId: partner_id });
      return toPage(rows, limit, toPromotionResource, (last) => ({ after: last.id }));
    },
  );

  app.get(
    '/promotions/:promotion_id',
    {
      schema: {
        params: z.object({ promotion_id: z.string().min(1).max(64) }),
        response: { 200: PromotionSchema, ...errors(401, 404, 503) },
      },
      config: { role: 'viewer' },
    },
    async function getPromotion(request) {
      const id = request.params.promotion_id;
      const promotion = PROMOTION_ID_PATTERN.test(id) ? await promotions.findWithCount(id) : undefined;
      if (!promotion) throw ERRORS.promotionNotFound();
      return toPromotionResource(promotion);
    },
  );

  app.patch(
    '/promotions/:promotion_id',
    {
      schema: {
        params: z.object({ promotion_id: z.string().min(1).max(64) }),
        body: UpdatePromotionSchema,
        response: { 200: PromotionSchema, ...errors(400, 401, 403, 404, 409, 413, 415, 503) },
      },
      config: { role: 'editor' },
    },
    async function updatePromotion(request) {
      const changes = toPromotionChanges(request.body);
      return toPromotionResource(
        await promotionService.update(request.params.promotion_id, changes, apiAudit(request)),
      );
    },
  );
};
