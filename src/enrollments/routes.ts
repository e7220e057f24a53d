import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearerAuth } from '../auth/bearer.js';
import { errorResponses as errors } from '../schemas.js';
import { parseEnrollmentId } from './enrollment-id.js';
import {
  JSON_TYPE,
  readIdempotencyKey,
  rememberRawBody,
  requestHash,
  type StoredResponse,
} from './idempotency.js';
import type { PrefetchedView } from './repository.js';
import {
  EnrollBodySchema,
  EnrollmentParamsSchema,
  EnrollResponseSchema,
  PromotionDetailSchema,
} from './schemas.js';

/** The Zapier surface: POST, GET and DELETE /v2/promotions. Routes parse and answer; the service holds the rules. */
export const enrollmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { tokens, enrollmentService, idempotency, enrollments, clock } = app.services;

  /** GET reads the token row and the enrollment in one query. */
  const loadWithView = (request: FastifyRequest) => {
    const key = parseEnrollmentId((request.params as { enrollment_id?: string }).enrollment_id ?? '');
    return key ? (tokenId: string) => enrollments.findTokenWithView(tokenId, key, clock.now()) : undefined;
  };

  const created = (enrollmentId: string): StoredResponse => ({
    status: 201,
    body: JSON.stringify({ enrollment_id: enrollmentId }),
    headers: { location: `/v2/promotions/${enrollmentId}` },
  });

  app.post(
    '/promotions',
    {
      schema: {
        operationId: 'root_create',
        body: EnrollBodySchema,
        response: { 201: EnrollResponseSchema, ...errors(400, 401, 403, 404, 409, 413, 415, 422, 429, 503) },
      },
      preValidation: [
        bearerAuth(tokens, { scope: 'promotions:write', kinds: ['user'], bodyToken: true }),
        rememberRawBody,
      ],
    },
    async (request, reply) => {
      const principal = request.principal!;
      const promotionId = request.body.promotion_id;
      const key = readIdempotencyKey(request);
      // Sent as a string so that a replay is the same bytes as the first answer.
      let response: StoredResponse & { replayed?: boolean };
      if (key === undefined) {
        response = created((await enrollmentService.enroll(principal, promotionId)).enrollmentId);
      } else {
        response = await idempotency.run(
          { partnerId: principal.partnerId, key },
          requestHash(request, principal),
          async (commit) => {
            const { enrollmentId } = await enrollmentService.enroll(principal, promotionId, {
              beforeCommit: (tx, id) => commit(tx, created(id)),
            });
            return created(enrollmentId);
          },
        );
      }
      // Untyped reply: the stored answer is a pre-serialized body with any stored status.
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
      preValidation: bearerAuth(tokens, {
        scope: 'promotions:read',
        kinds: ['user', 'app'],
        load: loadWithView,
      }),
    },
    async (request) =>
      enrollmentService.get(
        request.principal!,
        request.params.enrollment_id,
        request.prefetched as PrefetchedView | undefined,
      ),
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
