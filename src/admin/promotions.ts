import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERRORS } from '../errors.js';
import { ListQuerySchema, pageOf, readCursor, toPage } from '../pagination.js';
import type { PromotionChanges } from '../promotions/repository.js';
import { PROMOTION_ID_PATTERN } from '../rules/enrollment-id.js';
import { truncateToSecond } from '../rules/time.js';
import { errorResponses as errors } from '../schemas.js';
import { apiAudit } from './admin-auth.js';
import { toPromotionResource } from './resources.js';
import { CreatePromotionSchema, PromotionSchema, UpdatePromotionSchema } from './schemas.js';

const second = (d: Date | null | undefined) => (d ? truncateToSecond(d) : d);

/** /admin/v1/promotions: create, list (by id), read and change promotions. */
export const promotionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { promotions, promotionService } = app;

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
      const body = request.body;
      const created = await promotionService.create(
        {
          id: body.id,
          partnerId: body.partner_id,
          name: body.name,
          status: body.status,
          startsAt: body.starts_at,
          endsAt: body.ends_at,
          durationDays: body.duration_days,
          taskLimitPerMonth: body.task_limit_per_month,
          maxEnrollments: body.max_enrollments,
          allowReenrollment: body.allow_reenrollment,
        },
        apiAudit(request),
      );
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
      const after = readCursor(cursor, (c) => c.after ?? null);
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
      const b = request.body;
      const changes: PromotionChanges = {
        name: b.name,
        status: b.status,
        startsAt: second(b.starts_at),
        endsAt: second(b.ends_at),
        durationDays: b.duration_days,
        taskLimitPerMonth: b.task_limit_per_month,
        maxEnrollments: b.max_enrollments,
        allowReenrollment: b.allow_reenrollment,
      };
      for (const k of Object.keys(changes) as (keyof PromotionChanges)[]) {
        if (changes[k] === undefined) delete changes[k];
      }
      return toPromotionResource(
        await promotionService.update(request.params.promotion_id, changes, apiAudit(request)),
      );
    },
  );
};
