import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditContext } from '../audit/audit-log.js';
import type { BearerRequirement } from '../auth/authorize.js';
import { pageOf } from '../pagination.js';
import type { Role } from '../rules/roles.js';
import { errorResponses as errors } from '../schemas.js';
import {
  CreateEndpointSchema,
  DeliveryListQuerySchema,
  DeliverySchema,
  EndpointListQuerySchema,
  EndpointSchema,
  EndpointWithSecretSchema,
  EventListQuerySchema,
  RedeliverSchema,
  SecretSchema,
  UpdateEndpointSchema,
  WebhookEventSchema,
} from './schemas.js';

export interface WebhookRouteOptions {
  /** Path prefix of the owner: '' (the token's partner) or '/partners/:partner_id'. */
  base: string;
  /** Params of `base`, e.g. `{ partner_id }`. */
  baseParams: z.ZodRawShape;
  /** The partner whose endpoints these are; throws the owner's 404. */
  partnerOf(request: FastifyRequest): Promise<string>;
  /** Public API: the bearer requirement its scope enforces (`config.auth`). */
  auth?: BearerRequirement;
  /** Admin mirror (CONTRACT §11): the role reads, writes and secret rotation need (`config.role`). */
  roles?: { read: Role; write: Role; secret: Role };
  /** Admin mirror: the audit context of a write. */
  audit?: (request: FastifyRequest) => AuditContext;
  /** Error statuses every route may answer besides its own. */
  common: number[];
  operationPrefix: string;
}

/**
 * The endpoints of CONTRACT §8, registered once for the public API (the token's partner) and
 * once for the admin mirror (any partner): both behave the same by construction.
 */
export function registerWebhookRoutes(root: FastifyInstance, o: WebhookRouteOptions): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const service = app.webhookService;
  const endpointParams = z.object({ ...o.baseParams, endpoint_id: z.string().max(200) });
  const eventParams = z.object({ ...o.baseParams, event_id: z.string().max(200) });
  const baseParams = z.object(o.baseParams);
  const err = (...statuses: number[]) => errors(...new Set([...statuses, ...o.common]));
  const config = (access: 'read' | 'write' | 'secret') => ({
    config: { ...(o.auth ? { auth: o.auth } : {}), ...(o.roles ? { role: o.roles[access] } : {}) },
  });
  const audit = (request: FastifyRequest) => o.audit?.(request);
  const op = (name: string) => `${o.operationPrefix}${name}`;

  app.post(
    `${o.base}/webhook_endpoints`,
    {
      schema: {
        operationId: op('webhook_endpoints_create'),
        params: baseParams,
        body: CreateEndpointSchema,
        response: { 201: EndpointWithSecretSchema, ...err(400, 404, 413, 415) },
      },
      ...config('write'),
    },
    async function createEndpoint(request, reply) {
      const created = await service.create(await o.partnerOf(request), request.body, audit(request));
      const location = request.url.split('?')[0]!.replace(/\/+$/, '');
      return reply.code(201).header('location', `${location}/${created.id}`).send(created);
    },
  );

  app.get(
    `${o.base}/webhook_endpoints`,
    {
      schema: {
        operationId: op('webhook_endpoints_list'),
        params: baseParams,
        querystring: EndpointListQuerySchema,
        response: { 200: pageOf(EndpointSchema), ...err(400, 404) },
      },
      ...config('read'),
    },
    async function listEndpoints(request) {
      return service.list(await o.partnerOf(request), request.query);
    },
  );

  app.get(
    `${o.base}/webhook_endpoints/:endpoint_id`,
    {
      schema: {
        operationId: op('webhook_endpoints_retrieve'),
        params: endpointParams,
        response: { 200: EndpointSchema, ...err(404) },
      },
      ...config('read'),
    },
    async function getEndpoint(request) {
      return service.get(await o.partnerOf(request), (request.params as { endpoint_id: string }).endpoint_id);
    },
  );

  app.patch(
    `${o.base}/webhook_endpoints/:endpoint_id`,
    {
      schema: {
        operationId: op('webhook_endpoints_update'),
        params: endpointParams,
        body: UpdateEndpointSchema,
        response: { 200: EndpointSchema, ...err(400, 404, 413, 415) },
      },
      ...config('write'),
    },
    async function updateEndpoint(request) {
      return service.update(
        await o.partnerOf(request),
        (request.params as { endpoint_id: string }).endpoint_id,
        request.body,
        audit(request),
      );
    },
  );

  app.delete(
    `${o.base}/webhook_endpoints/:endpoint_id`,
    {
      schema: {
        operationId: op('webhook_endpoints_destroy'),
        params: endpointParams,
        response: { 204: z.undefined(), ...err(404) },
      },
      ...config('write'),
    },
    async function deleteEndpoint(request, reply) {
      await service.remove(
        await o.partnerOf(request),
        (request.params as { endpoint_id: string }).endpoint_id,
        audit(request),
      );
      return (reply as FastifyReply).code(204).send();
    },
  );

  app.post(
    `${o.base}/webhook_endpoints/:endpoint_id/rotate_secret`,
    {
      schema: {
        operationId: op('webhook_endpoints_rotate_secret'),
        params: endpointParams,
        response: { 200: SecretSchema, ...err(404) },
      },
      ...config('secret'),
    },
    async function rotateEndpointSecret(request) {
      return service.rotateSecret(
        await o.partnerOf(request),
        (request.params as { endpoint_id: string }).endpoint_id,
        audit(request),
      );
    },
  );

  app.get(
    `${o.base}/webhook_endpoints/:endpoint_id/deliveries`,
    {
      schema: {
        operationId: op('webhook_endpoints_deliveries'),
        params: endpointParams,
        querystring: DeliveryListQuerySchema,
        response: { 200: pageOf(DeliverySchema), ...err(400, 404) },
      },
      ...config('read'),
    },
    async function listDeliveries(request) {
      return service.deliveries(
        await o.partnerOf(request),
        (request.params as { endpoint_id: string }).endpoint_id,
        request.query,
      );
    },
  );

  app.get(
    `${o.base}/events`,
    {
      schema: {
        operationId: op('events_list'),
        params: baseParams,
        querystring: EventListQuerySchema,
        response: { 200: pageOf(WebhookEventSchema), ...err(400, 404) },
      },
      ...config('read'),
    },
    async function listEvents(request) {
      return service.events(await o.partnerOf(request), request.query);
    },
  );

  app.post(
    `${o.base}/events/:event_id/redeliver`,
    {
      schema: {
        operationId: op('events_redeliver'),
        params: eventParams,
        response: { 202: RedeliverSchema, ...err(404) },
      },
      ...config('write'),
    },
    async function redeliverEvent(request, reply) {
      const result = await service.redeliver(
        await o.partnerOf(request),
        (request.params as { event_id: string }).event_id,
        audit(request),
      );
      return reply.code(202).send(result);
    },
  );
}

/** /v2/webhook_endpoints and /v2/events: app tokens with promotions:write, the token's partner. */
export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  registerWebhookRoutes(app, {
    base: '',
    baseParams: {},
    partnerOf: async function partnerOfToken(request) {
      return request.principal!.partnerId;
    },
    auth: { scope: 'promotions:write', kinds: ['app'] },
    common: [400, 401, 403, 429, 503],
    operationPrefix: '',
  });
};
