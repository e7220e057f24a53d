import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERRORS, NO_STORE_HEADERS } from '../errors.js';
import {
  ApiKeyListQuerySchema,
  ApiKeySchema,
  ApiKeyWithSecretSchema,
  ChangePasswordSchema,
  CreateApiKeySchema,
  CreateOperatorSchema,
  OperatorListQuerySchema,
  OperatorSchema,
  OperatorWithPasswordSchema,
  UpdateOperatorSchema,
} from '../operators/schemas.js';
import { pageOf } from '../pagination.js';
import { errorResponses as errors } from '../schemas.js';
import { apiAudit } from './admin-auth.js';
import { registerResourceRoutes } from './resource-routes.js';

const OperatorParams = z.object({ operator_id: z.string().max(36) });
const KeyParams = OperatorParams.extend({ key_id: z.string().max(200) });

/**
 * /admin/v1/operators (CONTRACT §11): the people who run the server and their API keys; owners
 * only, but for an operator changing their own password.
 */
export const operatorRoutes: FastifyPluginAsyncZod = async (app) => {
  const { operatorService } = app;
  const { createOperator, listOperators, getOperator, updateOperator, resetPassword } = operatorService;

  registerResourceRoutes(app, {
    collection: '/operators',
    params: OperatorParams,
    resource: OperatorSchema,
    roles: { read: 'owner', write: 'owner' },
    create: { body: CreateOperatorSchema, errors: [400, 401, 403, 409, 413, 415, 503], run: createOperator },
    list: { querystring: OperatorListQuerySchema, errors: [400, 401, 403, 503], run: listOperators },
    get: { errors: [400, 401, 403, 404, 503], run: getOperator },
    update: {
      body: UpdateOperatorSchema,
      errors: [400, 401, 403, 404, 409, 413, 415, 503],
      run: updateOperator,
    },
    reveal: {
      name: 'reset_password',
      response: OperatorWithPasswordSchema,
      headers: NO_STORE_HEADERS,
      errors: [400, 401, 403, 404, 503],
      run: resetPassword,
    },
  });

  // Any operator, for themselves: the caller's API key names the operator (a static segment, so
  // it never reads as an operator id).
  app.post(
    '/operators/me/password',
    {
      schema: {
        body: ChangePasswordSchema,
        response: { 200: OperatorSchema, ...errors(400, 401, 403, 413, 415, 503) },
      },
      config: { role: 'viewer' },
    },
    async function changeOwnPassword(request) {
      const operatorId = request.actor?.operatorId;
      if (!operatorId) throw ERRORS.operatorCallerRequired();
      return operatorService.changeOwnPassword(operatorId, request.body, apiAudit(request));
    },
  );

  app.post(
    '/operators/:operator_id/api_keys',
    {
      schema: {
        params: OperatorParams,
        body: CreateApiKeySchema,
        response: { 201: ApiKeyWithSecretSchema, ...errors(400, 401, 403, 404, 413, 415, 503) },
      },
      config: { role: 'owner' },
    },
    async function createApiKey(request, reply) {
      const key = await operatorService.createApiKey(
        request.params.operator_id,
        request.body,
        apiAudit(request),
      );
      return reply.code(201).headers(NO_STORE_HEADERS).send(key);
    },
  );

  app.get(
    '/operators/:operator_id/api_keys',
    {
      schema: {
        params: OperatorParams,
        querystring: ApiKeyListQuerySchema,
        response: { 200: pageOf(ApiKeySchema), ...errors(400, 401, 403, 404, 503) },
      },
      config: { role: 'owner' },
    },
    async function listApiKeys(request) {
      return operatorService.listApiKeys(request.params.operator_id, request.query);
    },
  );

  app.delete(
    '/operators/:operator_id/api_keys/:key_id',
    {
      schema: { params: KeyParams, response: { 204: z.undefined(), ...errors(400, 401, 403, 404, 503) } },
      config: { role: 'owner' },
    },
    async function revokeApiKey(request, reply) {
      await operatorService.revokeApiKey(
        request.params.operator_id,
        request.params.key_id,
        apiAudit(request),
      );
      return reply.code(204).send();
    },
  );
};
