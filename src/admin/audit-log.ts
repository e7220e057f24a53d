import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditEntrySchema, AuditLogQuerySchema, auditFilterOf } from '../audit/schemas.js';
import { pageOf } from '../pagination.js';
import { errorResponses as errors } from '../schemas.js';

/** GET /admin/v1/audit_log (CONTRACT §11): who changed what, newest first, filterable. */
export const auditLogRoutes: FastifyPluginAsyncZod = async (app) => {
  const { auditLog } = app;

  app.get(
    '/audit_log',
    {
      schema: {
        querystring: AuditLogQuerySchema,
        response: { 200: pageOf(AuditEntrySchema), ...errors(400, 401, 503) },
      },
      config: { role: 'viewer' },
    },
    async function listAuditLog(request) {
      const { limit, cursor } = request.query;
      return auditLog.list({ ...auditFilterOf(request.query), limit, cursor });
    },
  );
};
