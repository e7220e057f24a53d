import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { BearerRequirement } from '../auth/authorize.js';
import { ERRORS } from '../errors.js';
import { ListQuerySchema } from '../pagination.js';
import { errorResponses as errors } from '../schemas.js';
import { UsageResultSchema } from '../usage/schemas.js';
import {
  AdvanceTestClockSchema,
  ClockAccountSchema,
  ClockUsageBodySchema,
  ClockUsageParamsSchema,
  CreateClockAccountSchema,
  CreateTestClockSchema,
  TestClockListSchema,
  TestClockParamsSchema,
  TestClockSchema,
} from './schemas.js';
import { toTestClockResource } from './service.js';

/** CONTRACT §9: every test helper is the sandbox partner's own, with its app token. */
const AUTH: BearerRequirement = { scope: 'promotions:write', kinds: ['app'] };

/**
 * `/v2/test_helpers` (CONTRACT §9), inside the /v2 scope (bearer authentication, rate limits):
 * test clocks, their accounts and usage at clock time. This scope's own guard answers 403 to a
 * live partner on every call, before anything else of the route runs.
 */
export const testClockRoutes: FastifyPluginAsyncZod = async (app) => {
  const { partnersRepository: partners, testClockService: service } = app;

  app.addHook('preValidation', async function requireSandboxPartner(request) {
    const principal = request.principal;
    if (!principal) return; // unreachable: every route here declares its bearer requirement
    const partner = await partners.findById(principal.partnerId);
    if (!partner?.sandbox) throw ERRORS.livePartner();
  });

  app.post(
    '/test_clocks',
    {
      schema: {
        operationId: 'test_clocks_create',
        body: CreateTestClockSchema,
        response: { 201: TestClockSchema, ...errors(400, 401, 403, 413, 415, 429, 503) },
      },
      config: { auth: AUTH },
    },
    async function createTestClock(request, reply) {
      const created = await service.create(request.principal!.partnerId, {
        frozenTime: request.body.frozen_time,
        name: request.body.name ?? null,
      });
      return reply
        .code(201)
        .header('location', `/v2/test_helpers/test_clocks/${created.id}`)
        .send(toTestClockResource(created));
    },
  );

  app.get(
    '/test_clocks',
    {
      schema: {
        operationId: 'test_clocks_list',
        querystring: ListQuerySchema,
        response: { 200: TestClockListSchema, ...errors(400, 401, 403, 429, 503) },
      },
      config: { auth: AUTH },
    },
    async function listTestClocks(request) {
      return service.listPage(request.principal!.partnerId, request.query);
    },
  );

  app.get(
    '/test_clocks/:test_clock_id',
    {
      schema: {
        operationId: 'test_clocks_retrieve',
        params: TestClockParamsSchema,
        response: { 200: TestClockSchema, ...errors(400, 401, 403, 404, 429, 503) },
      },
      config: { auth: AUTH },
    },
    async function getTestClock(request) {
      return toTestClockResource(
        await service.get(request.principal!.partnerId, request.params.test_clock_id),
      );
    },
  );

  app.delete(
    '/test_clocks/:test_clock_id',
    {
      schema: {
        operationId: 'test_clocks_destroy',
        params: TestClockParamsSchema,
        response: { 204: z.undefined(), ...errors(400, 401, 403, 404, 409, 429, 503) },
      },
      config: { auth: AUTH },
    },
    async function deleteTestClock(request, reply) {
      await service.delete(request.principal!.partnerId, request.params.test_clock_id);
      return reply.code(204).send(undefined);
    },
  );

  app.post(
    '/test_clocks/:test_clock_id/advance',
    {
      schema: {
        operationId: 'test_clocks_advance',
        params: TestClockParamsSchema,
        body: AdvanceTestClockSchema,
        response: { 200: TestClockSchema, ...errors(400, 401, 403, 404, 409, 413, 415, 429, 503) },
      },
      config: { auth: AUTH },
    },
    async function advanceTestClock(request) {
      return toTestClockResource(
        await service.advance(
          request.principal!.partnerId,
          request.params.test_clock_id,
          request.body.frozen_time,
        ),
      );
    },
  );

  app.post(
    '/test_clocks/:test_clock_id/accounts',
    {
      schema: {
        operationId: 'test_clocks_accounts_create',
        params: TestClockParamsSchema,
        body: CreateClockAccountSchema.nullish(),
        response: { 201: ClockAccountSchema, ...errors(400, 401, 403, 404, 409, 413, 415, 429, 503) },
      },
      config: { auth: AUTH },
    },
    async function createClockAccount(request, reply) {
      const created = await service.createAccount(
        request.principal!.partnerId,
        request.params.test_clock_id,
        request.body?.email,
      );
      return reply.code(201).headers({ 'cache-control': 'no-store', pragma: 'no-cache' }).send(created);
    },
  );

  app.post(
    '/enrollments/:enrollment_id/usage',
    {
      schema: {
        operationId: 'test_helpers_usage_create',
        params: ClockUsageParamsSchema,
        body: ClockUsageBodySchema,
        response: { 200: UsageResultSchema, ...errors(400, 401, 403, 404, 409, 413, 415, 429, 503) },
      },
      config: { auth: AUTH },
    },
    async function recordClockUsage(request) {
      return service.recordUsage(request.principal!.partnerId, request.params.enrollment_id, {
        tasks: request.body.tasks,
        idempotencyKey: request.body.idempotency_key,
      });
    },
  );
};
