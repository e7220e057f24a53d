import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { adminRoutes } from './admin/routes.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { enrollmentRoutes } from './enrollments/routes.js';
import { errorHandler } from './error-handler.js';
import { envelope } from './errors.js';
import { oauthRoutes } from './oauth/routes.js';
import { docsRoutes } from './ops/docs.js';
import { drainPlugin } from './ops/drain.js';
import { metricsPlugin } from './ops/metrics.js';
import { overloadPlugin } from './ops/overload.js';
import { rateLimitPlugin } from './ops/rate-limit.js';
import { requestLogPlugin } from './ops/request-log.js';
import { opsRoutes } from './ops/routes.js';
import { createServices } from './services.js';
import { webhookAdminRoutes } from './webhooks/admin-routes.js';
import { webhooksPlugin } from './webhooks/plugin.js';
import { webhookRoutes } from './webhooks/routes.js';

export const BODY_LIMIT = 16 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface BuildAppOptions {
  config: Config;
  database: Database;
  clock?: Clock;
  /** The resolved admin token; null disables the admin API. */
  adminToken: string | null;
  logger?: FastifyServerOptions['logger'];
  loggerInstance?: FastifyServerOptions['loggerInstance'];
}

/** Builds the whole application; server.ts only listens, so tests never need to. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.loggerInstance ? undefined : (options.logger ?? false),
    loggerInstance: options.loggerInstance,
    bodyLimit: BODY_LIMIT,
    trustProxy: options.config.trustProxy,
    requestIdHeader: false,
    // Accept a caller's request id only when it is sane; otherwise make one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    return503OnClosing: true,
    // Errors raised before routing (a malformed URL) wear the envelope too.
    frameworkErrors: (err, _request, reply) => {
      const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 400;
      const body = envelope(
        status === 404 ? 'not_found' : 'invalid_request',
        'The request URL is malformed.',
      );
      (reply as FastifyReply).code(status).send(body);
    },
    // On close, idle keep-alive sockets are closed at once; busy ones after their response.
    forceCloseConnections: 'idle',
    // One line per request, written by src/ops/request-log.ts.
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(envelope('not_found', `No route matches ${request.method} ${request.url.split('?')[0]}.`)),
  );
  // Only JSON bodies on the API; form bodies are parsed inside the OAuth scope alone.
  app.removeContentTypeParser('text/plain');

  app.decorate(
    'services',
    createServices({
      database: options.database,
      clock: options.clock ?? systemClock,
      config: options.config,
    }),
  );
  app.decorateRequest('principal', null);
  app.decorateRequest('prefetched', undefined);
  // server.ts starts the sweeper; whoever closes the app stops it.
  app.addHook('onClose', async () => app.services.expirySweeper.stop());
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Operations first, so their hooks see every request: connection draining on close,
  // metrics, the request log, rate limits (before load shedding, so a shed /v2 request still
  // carries its headers), overload.
  await app.register(drainPlugin);
  await app.register(metricsPlugin);
  await app.register(requestLogPlugin);
  await app.register(rateLimitPlugin);
  await app.register(overloadPlugin);
  await app.register(webhooksPlugin);

  await app.register(opsRoutes);
  await app.register(docsRoutes);
  await app.register(oauthRoutes);
  await app.register(enrollmentRoutes, { prefix: '/v2' });
  await app.register(webhookRoutes, { prefix: '/v2' });
  await app.register(adminRoutes, { prefix: '/admin/v1', adminToken: options.adminToken });
  await app.register(webhookAdminRoutes, { prefix: '/admin/v1', adminToken: options.adminToken });

  return app;
}
