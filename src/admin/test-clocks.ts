import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ListQuerySchema, pageOf } from '../pagination.js';
import { errorResponses as errors } from '../schemas.js';
import { AdvanceTestClockSchema, TestClockParamsSchema, TestClockSchema } from '../test-clocks/schemas.js';
import { toTestClockResource } from '../test-clocks/service.js';
import { apiAudit } from './admin-auth.js';

const PartnerParams = z.object({ partner_id: z.string().max(36) });
const ClockParams = PartnerParams.extend(TestClockParamsSchema.shape);

/**
 * /admin/v1/partners/{id}/test_clocks (CONTRACT §9, CONTRACT §11): an operator reads a sandbox
 * partner's test clocks and advances them, through the partners' own service operations.
 */
export const testClockAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { partnerService, testClockService } = app;

  app.get(
    '/partners/:partner_id/test_clocks',
    {
      schema: {
        params: PartnerParams,
        querystring: ListQuerySchema,
        response: { 200: pageOf(TestClockSchema), ...errors(400, 401, 404, 503) },
      },
      config: { role: 'viewer' },
    },
    async function listTestClocks(request) {
      const partner = await partnerService.getPartner(request.params.partner_id);
      return testClockService.listPage(partner.id, request.query);
    },
  );

  app.get(
    '/partners/:partner_id/test_clocks/:test_clock_id',
    {
      schema: { params: ClockParams, response: { 200: TestClockSchema, ...errors(400, 401, 404, 503) } },
      config: { role: 'viewer' },
    },
    async function getTestClock(request) {
      const partner = await partnerService.getPartner(request.params.partner_id);
      return toTestClockResource(await testClockService.get(partner.id, request.params.test_clock_id));
    },
  );

  app.post(
    '/partners/:partner_id/test_clocks/:test_clock_id/advance',
    {
      schema: {
        params: ClockParams,
        body: AdvanceTestClockSchema,
        response: { 200: TestClockSchema, ...errors(400, 401, 403, 404, 409, 413, 415, 503) },
      },
      config: { role: 'editor' },
    },
    async function advanceTestClock(request) {
      const partner = await partnerService.getPartner(request.params.partner_id);
      const advanced = await testClockService.advance(
        partner.id,
        request.params.test_clock_id,
        request.body.frozen_time,
        apiAudit(request),
      );
      return toTestClockResource(advanced);
    },
  );
};
