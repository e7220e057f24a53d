import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { adminAuthPlugin } from './admin/admin-auth.js';
import { adminRoutes } from './admin/routes.js';
import { auditPlugin } from './audit/plugin.js';
import { bearerAuthPlugin } from './auth/bearer.js';
import { authPlugin } from './auth/plugin.js';
import { bootstrapPlugin } from './bootstrap/plugin.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { consoleRoutes } from './console/routes.js';
import { corePlugin } from './core.js';
import type { Database } from './db/client.js';
import { enrollmentsPlugin } from './enrollments/plugin.js';
import { enrollmentRoutes } from './enrollments/routes.js';
import { errorHandler } from './error-handler.js';
import { ERRORS } from './errors.js';
import { oauthRoutes } from './oauth/routes.js';
import { operatorsPlugin } from './operators/plugin.js';
import { docsRoutes } from './ops/docs.js';
import { drainPlugin } from './ops/drain.js';
import { requestLogger } from './ops/logging.js';
import { metricsPlugin } from './ops/metrics.js';
import { overloadPlugin } from './ops/overload.js';
import { rateLimitPlugin } from './ops/rate-limit.js';
import { requestLogPlugin } from './ops/request-log.js';
import { opsRoutes } from './ops/routes.js';
import { promotionsPlugin } from './promotions/plugin.js';
import { compiledSerializerCompiler } from './serializer.js';
import { testClocksPlugin } from './test-clocks/plugin.js';
import { testClockRoutes } from './test-clocks/routes.js';
import { usagePlugin } from './usage/plugin.js';
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

/** Node's parser errors (headers too large, malformed requests): the envelope, then the socket ends. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const error =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ERRORS.headersTooLarge()
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? null
        : ERRORS.malformedHttp();
  if (!error) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(error.toEnvelope());
  socket.end(
    `HTTP/1.1 ${error.statusCode} ${STATUS_CODES[error.statusCode]}\r\nConnection: close\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * The map of the application: shared plugins in dependency order, then one encapsulated
 * scope per audience, each attaching the guards its callers pass. server.ts only listens,
 * so tests never need to.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.loggerInstance ? undefined : (options.logger ?? false),
    loggerInstance: options.loggerInstance,
    bodyLimit: BODY_LIMIT,
    // CONTRACT §2: slow and greedy clients are bounded (config.ts, HTTP_*): a socket silent
    // this long is closed; the request line and headers, then the whole request with its body,
    // must arrive within their timeouts (checked every second), else the socket is closed; an
    // idle keep-alive socket is closed after its timeout.
    connectionTimeout: options.config.httpConnectionTimeoutMs,
    keepAliveTimeout: options.config.httpKeepAliveTimeoutMs,
    requestTimeout: options.config.httpRequestTimeoutMs,
    http: {
      headersTimeout: options.config.httpHeadersTimeoutMs,
      requestTimeout: options.config.httpRequestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, options.config.httpHeadersTimeoutMs),
    },
    trustProxy: options.config.trustProxy,
    requestIdHeader: false,
    // Accept a caller's request id only when it is sane; otherwise make one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Requests arriving while the server closes get the envelope's 503 (src/ops/drain.ts).
    return503OnClosing: false,
    // Errors raised before routing (a malformed URL) wear the envelope too, with their own status.
    frameworkErrors: (err, _request, reply) => {
      const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 400;
      const error = status === 414 ? ERRORS.pathSegmentTooLong() : ERRORS.malformedUrl(status);
      (reply as FastifyReply).code(error.statusCode).send(error.toEnvelope());
    },
    // What Node's HTTP parser refuses before Fastify sees a request wears the envelope too.
    clientErrorHandler: answerClientError,
    // On close, idle keep-alive sockets are closed at once; busy ones after their response.
    forceCloseConnections: 'idle',
    // One line per request, written by src/ops/request-log.ts.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: requestLogger,
  });

  // Sockets past the cap are closed on arrival (CONTRACT §2), before they cost a request.
  app.server.maxConnections = options.config.httpMaxConnections;
  // CONTRACT §7 "Traces": only with an OTLP endpoint, and only then is OpenTelemetry loaded.
  // First of all, so @fastify/otel wraps every hook and route registered after it.
  const tracing = options.config.otelTracesUrl
    ? (await import('./ops/tracing.js')).startTracing({
        url: options.config.otelTracesUrl,
        serviceName: options.config.otelServiceName,
      })
    : null;
  if (tracing) await app.register(tracing.plugin);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(compiledSerializerCompiler);
  app.setErrorHandler(errorHandler);
  const notFound = (request: { method: string; url: string }, reply: FastifyReply) =>
    reply.code(404).send(ERRORS.routeNotFound(request.method, request.url).toEnvelope());
  app.setNotFoundHandler(notFound);
  // Only JSON bodies on the API (form bodies are parsed inside the OAuth scope alone), and a
  // request without a body is bodiless whatever its Content-Type says (CONTRACT §4).
  app.removeContentTypeParser(['text/plain', 'application/json']);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    return parseJson(request, body as string, done);
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async function echoRequestId(request, reply) {
    reply.header('x-request-id', request.id);
  });

  // Shared pieces every scope may use, in dependency order.
  await app.register(corePlugin, {
    config: options.config,
    clock: options.clock ?? systemClock,
    database: options.database,
  });
  // Operations first, so their hooks see every request: connection draining on close,
  // metrics, the request log, the rate limiters (attached by the scopes below), overload.
  await app.register(drainPlugin);
  await app.register(metricsPlugin);
  await app.register(requestLogPlugin);
  await app.register(rateLimitPlugin);
  await app.register(overloadPlugin);
  await app.register(auditPlugin);
  await app.register(operatorsPlugin);
  await app.register(authPlugin);
  await app.register(enrollmentsPlugin);
  await app.register(promotionsPlugin);
  await app.register(usagePlugin);
  await app.register(webhooksPlugin);
  await app.register(testClocksPlugin);
  // CONTRACT §10: the bootstrap file, applied through the repositories and services above.
  await app.register(bootstrapPlugin);

  // Operations: health, readiness, metrics, the contract files and /docs; open, never limited.
  await app.register(opsRoutes);
  await app.register(docsRoutes);

  // The public API, for partners' access tokens: counted per IP, authenticated, counted per
  // partner, then the routes. Every response here carries X-RateLimit-*.
  await app.register(
    async (v2) => {
      v2.addHook('onRequest', v2.rateLimits.countIp);
      v2.addHook('onSend', v2.rateLimits.sendHeaders);
      v2.setNotFoundHandler(notFound);
      await v2.register(bearerAuthPlugin);
      v2.addHook('preHandler', v2.rateLimits.countPartner);
      await v2.register(enrollmentRoutes);
      await v2.register(webhookRoutes);
      // CONTRACT §9: sandbox partners' test clocks, behind their own sandbox guard.
      await v2.register(testClockRoutes, { prefix: '/test_helpers' });
    },
    { prefix: '/v2' },
  );

  // The operator's API, behind ADMIN_TOKEN or an operator's API key, counted per IP; every
  // route declares the role it needs (CONTRACT §11).
  await app.register(
    async (admin) => {
      admin.addHook('onRequest', admin.rateLimits.countIp);
      await admin.register(adminAuthPlugin, { adminToken: options.adminToken });
      await admin.register(adminRoutes);
    },
    { prefix: '/admin/v1' },
  );

  // The operators' console (CONTRACT §11): HTML pages behind a session cookie, roles and audit
  // through the admin API's own services; its form posts are counted per IP.
  await app.register(consoleRoutes, { prefix: '/console' });

  // The OAuth authorization server (/oauth, /.well-known, the /v2/authorize alias): its form
  // posts are counted per IP, so client secrets and passwords cannot be brute-forced.
  await app.register(async (oauth) => {
    oauth.addHook('onRequest', async function countOauthFormPost(request) {
      if (request.method === 'POST') await oauth.rateLimits.countIp(request);
    });
    await oauth.register(oauthRoutes);
  });

  // Last, so the spans of everything that closes before it (the dispatcher's) are sent.
  if (tracing) app.addHook('onClose', tracing.shutdown);

  return app;
}
