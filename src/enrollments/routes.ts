import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { BearerRequirement } from '../auth/authorize.js';
import { requestToken } from '../auth/bearer.js';
import { ERRORS } from '../errors.js';
import type { PromotionDetail } from '../rules/enrollment-detail.js';
import { errorResponses as errors } from '../schemas.js';
import { JSON_TYPE, readIdempotencyKey, rememberRawBody, requestHash } from './idempotency.js';
import {
  EnrollBodySchema,
  EnrollmentParamsSchema,
  EnrollResponseSchema,
  PromotionDetailSchema,
} from './schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** GET: what the token may see, read with the token itself (null: nothing, 404). */
    enrollment: PromotionDetail | null;
  }
}

const READ: BearerRequirement = { scope: 'promotions:read', kinds: ['user', 'app'] };

/**
 * The Zapier surface: POST, GET and DELETE /v2/promotions, inside the /v2 scope whose hooks
 * authenticate (`config.auth`) and rate-limit. Routes parse and answer; the service holds the rules.
 */
export const enrollmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { enrollmentService } = app;
  app.decorateRequest('enrollment', null);

  app.post(
    '/promotions',
    {
      schema: {
        operationId: 'root_create',
        body: EnrollBodySchema,
        response: { 201: EnrollResponseSchema, ...errors(400, 401, 403, 404, 409, 413, 415, 422, 429, 503) },
      },
      config: { auth: { scope: 'promotions:write', kinds: ['user'], bodyToken: true } },
      preValidation: rememberRawBody,
    },
    async function enroll(request, reply) {
      const principal = request.principal!;
      const key = readIdempotencyKey(request);
      const response = await enrollmentService.enroll(principal, request.body.promotion_id, {
        idempotency: key === undefined ? undefined : { key, requestHash: requestHash(request, principal) },
      });
      // Untyped reply: the answer is a pre-serialized body (a replay is the same bytes) with any stored status.
      const raw = reply as FastifyReply;
      if (response.replayed) raw.header('idempotent-replayed', 'true');
      return raw.code(response.status).headers(response.headers).type(JSON_TYPE).send(response.body);
    },
  );

  app.get(
    '/promotions/:enrollment_id',
    {
      schema: {
        operationId: 'root_retrieve',
        params: EnrollmentParamsSchema,
        response: { 200: PromotionDetailSchema, ...errors(400, 401, 403, 404, 429, 503) },
      },
      // One service operation checks the token and reads what it may see, in one round trip.
      config: { auth: 'in-operation' },
      preValidation: async function readWithToken(request) {
        const { token } = requestToken(request);
        const enrollmentId = (request.params as { enrollment_id: string }).enrollment_id;
        const read = await enrollmentService.readWithToken(token, enrollmentId, READ);
        request.principal = read.principal;
        request.enrollment = read.detail;
      },
    },
    async function showEnrollment(request) {
      if (!request.enrollment) throw ERRORS.enrollmentNotFound();
      return request.enrollment;
    },
  );

  app.delete(
    '/promotions/:enrollment_id',
    {
      schema: {
        operationId: 'root_destroy',
        params: EnrollmentParamsSchema,
        response: { 204: z.undefined(), ...errors(400, 401, 403, 404, 429, 503) },
      },
      // Zapier's pages disagree on DELETE's token, so both kinds work (CONTRACT §4).
      config: { auth: { scope: 'promotions:write', kinds: ['app', 'user'] } },
    },
    async function unenroll(request, reply) {
      await enrollmentService.unenroll(request.principal!, request.params.enrollment_id);
      return reply.code(204).send(undefined);
    },
  );
};
