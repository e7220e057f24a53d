import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearerAuth } from '../auth/bearer.js';
import { errorResponses as errors } from '../schemas.js';
import {
  EnrollBodySchema,
  EnrollmentParamsSchema,
  EnrollResponseSchema,
  PromotionDetailSchema,
} from './schemas.js';

/** The Zapier surface: POST, GET and DELETE /v2/promotions. Routes parse and answer; the service holds the rules. */
export const enrollmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { tokens, enrollmentService } = app.services;

  app.post(
    '/promotions',
    {
      schema: {
        operationId: 'root_create',
        body: EnrollBodySchema,
        response: { 201: EnrollResponseSchema, ...errors(400, 401, 403, 404, 409, 413, 415, 422, 429, 503) },
      },
      preValidation: bearerAuth(tokens, { scope: 'promotions:write', kinds: ['user'], bodyToken: true }),
    },
    async (request, reply) => {
      const { enrollmentId } = await enrollmentService.enroll(request.principal!, request.body.promotion_id);
      return reply
        .code(201)
        .header('location', `/v2/promotions/${enrollmentId}`)
        .send({ enrollment_id: enrollmentId });
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
      preValidation: bearerAuth(tokens, { scope: 'promotions:read', kinds: ['user', 'app'] }),
    },
    async (request) => enrollmentService.get(request.principal!, request.params.enrollment_id),
  );

  app.delete(
    '/promotions/:enrollment_id',
    {
      schema: {
        operationId: 'root_destroy',
        params: EnrollmentParamsSchema,
        response: { 204: z.undefined(), ...errors(400, 401, 403, 404, 429, 503) },
      },
      preValidation: bearerAuth(tokens, { scope: 'promotions:write', kinds: ['app'] }),
    },
    async (request, reply) => {
      await enrollmentService.unenroll(request.principal!, request.params.enrollment_id);
      return reply.code(204).send(undefined);
    },
  );
};
