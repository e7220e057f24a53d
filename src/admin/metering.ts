import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERRORS } from '../errors.js';
import { DateTimeSchema, ExternalIdSchema, errorResponses as errors } from '../schemas.js';
import { MAX_EVENTS_PER_REQUEST } from '../usage/ingest.js';
import { apiAudit } from './admin-auth.js';

/** CONTRACT §12: a metering request's body may be up to 1 MiB (the API's other bodies: 16 KiB). */
export const METERING_BODY_LIMIT = 1024 * 1024;

const UsageEventBatchSchema = z.object({
  // Each event is checked on its own by the service: one bad event is rejected alone.
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_REQUEST),
});

const AllocationSchema = z.object({
  enrollment_id: z.string(),
  promotion_id: z.string(),
  tasks: z.number().int(),
});

const UsageEventResultsSchema = z.object({
  data: z.array(
    z.object({
      id: z.string().nullable(),
      status: z.enum(['recorded', 'duplicate', 'rejected']),
      sponsored: z.number().int(),
      unsponsored: z.number().int(),
      allocations: z.array(AllocationSchema),
      error: z
        .object({
          code: z.string(),
          title: z.string(),
          detail: z.string(),
          source: z.object({ pointer: z.string() }),
        })
        .optional(),
    }),
  ),
});

const EntitlementQuerySchema = z.object({
  account_id: z.uuid().optional(),
  external_account_id: ExternalIdSchema.optional(),
  at: DateTimeSchema.optional(),
});

const EntitlementSchema = z.object({
  account_id: z.string(),
  external_id: z.string().nullable(),
  at: z.string(),
  sponsored_remaining: z.number().int().nullable(),
  enrollments: z.array(
    z.object({
      enrollment_id: z.string(),
      promotion_id: z.string(),
      task_limit_per_month: z.number().int().nullable(),
      tasks_used_this_month: z.number().int(),
      remaining: z.number().int().nullable(),
      billing_cycle_start: z.string(),
      billing_cycle_end: z.string(),
      expiration_date: z.string().nullable(),
    }),
  ),
});

/**
 * /admin/v1/usage_events and /admin/v1/entitlements: the platform's metering path (CONTRACT §12).
 * Both are `meter` routes: a meter API key may call them and nothing else.
 */
export const meteringRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ingestService, entitlementService } = app;

  app.post(
    '/usage_events',
    {
      bodyLimit: METERING_BODY_LIMIT,
      schema: {
        body: UsageEventBatchSchema,
        response: { 200: UsageEventResultsSchema, ...errors(400, 401, 403, 413, 415, 503) },
      },
      config: { role: 'editor', meter: true },
    },
    async function recordUsageEvents(request) {
      return { data: await ingestService.record(request.body.events, apiAudit(request)) };
    },
  );

  app.get(
    '/entitlements',
    {
      schema: {
        querystring: EntitlementQuerySchema,
        response: { 200: EntitlementSchema, ...errors(400, 401, 403, 404, 503) },
      },
      config: { role: 'viewer', meter: true },
    },
    async function getEntitlement(request) {
      const { account_id: accountId, external_account_id: externalId, at } = request.query;
      if ((accountId === undefined) === (externalId === undefined)) throw ERRORS.oneAccountRequired();
      return entitlementService.entitlement({ accountId, externalId, at });
    },
  );
};
