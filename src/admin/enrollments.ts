import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EVENT_ID_PATTERN } from '../db/ids.js';
import { toAdminEnrollmentResource, toAuditTrailEntry } from '../enrollments/resource.js';
import { ERRORS } from '../errors.js';
import {
  ListQuerySchema,
  pageOf,
  readAfterId,
  readTimeKeyCursor,
  timeKeyCursor,
  toPage,
} from '../pagination.js';
import { parseEnrollmentId, UUID_PATTERN } from '../rules/enrollment-id.js';
import { errorResponses as errors } from '../schemas.js';
import { AdminEnrollmentSchema, AdminEnrollmentStatusSchema, EventSchema } from './schemas.js';

/** /admin/v1: a promotion's enrollments (unenrolled ones too) and an enrollment's audit trail. */
export const enrollmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { promotionsRepository: promotions, enrollmentViews, enrollmentAuditTrail, clock } = app;

  app.get(
    '/promotions/:promotion_id/enrollments',
    {
      schema: {
        params: z.object({ promotion_id: z.string().min(1).max(64) }),
        querystring: ListQuerySchema.extend({ status: AdminEnrollmentStatusSchema.optional() }),
        response: { 200: pageOf(AdminEnrollmentSchema), ...errors(400, 401, 404, 503) },
      },
      config: { role: 'viewer' },
    },
    async function listPromotionEnrollments(request) {
      const { limit, cursor, status } = request.query;
      const afterId = readAfterId(cursor, UUID_PATTERN);
      if (!(await promotions.findById(request.params.promotion_id))) throw ERRORS.promotionNotFound();
      const now = clock.now();
      const rows = await enrollmentViews.listByPromotion(
        request.params.promotion_id,
        { limit: limit + 1, afterId, status },
        now,
      );
      return toPage(
        rows,
        limit,
        (view) => toAdminEnrollmentResource(view, now),
        (last) => ({ after: last.id }),
      );
    },
  );

  app.get(
    '/enrollments/:enrollment_id/events',
    {
      schema: {
        params: z.object({ enrollment_id: z.string().max(200) }),
        querystring: ListQuerySchema,
        response: { 200: pageOf(EventSchema), ...errors(400, 401, 404, 503) },
      },
      config: { role: 'viewer' },
    },
    async function listEnrollmentEvents(request) {
      const { limit, cursor } = request.query;
      // An enrollment's events page by (created_at, id).
      const after = readTimeKeyCursor(cursor, EVENT_ID_PATTERN);
      const key = parseEnrollmentId(request.params.enrollment_id);
      if (!key || !(await enrollmentViews.exists(key))) throw ERRORS.enrollmentNotFound();
      const rows = await enrollmentAuditTrail.listEvents(key.id, { limit: limit + 1, after });
      return toPage(rows, limit, toAuditTrailEntry, (last) => timeKeyCursor(last.created_at, last.id));
    },
  );
};
