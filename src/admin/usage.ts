import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses as errors } from '../schemas.js';
import { UsageResultSchema } from '../usage/schemas.js';
import { apiAudit } from './admin-auth.js';
import { UsageBodySchema } from './schemas.js';

/** /admin/v1/enrollments/:id/usage: tasks used, recorded through the usage service (CONTRACT §3). */
export const usageRoutes: FastifyPluginAsyncZod = async (app) => {
  const { usageService } = app;

  app.post(
    '/enrollments/:enrollment_id/usage',
    {
      schema: {
        params: z.object({ enrollment_id: z.string().max(200) }),
        body: UsageBodySchema,
        response: { 200: UsageResultSchema, ...errors(400, 401, 403, 404, 409, 413, 415, 503) },
      },
      config: { role: 'editor' },
    },
    async function recordUsage(request) {
      return usageService.record(
        request.params.enrollment_id,
        {
          tasks: request.body.tasks,
          idempotencyKey: request.body.idempotency_key,
          occurredAt: request.body.occurred_at,
        },
        { audit: apiAudit(request) },
      );
    },
  );
};
