import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { sanitizeUrl } from './logging.js';
import { routeLabel } from './metrics.js';

/**
 * One log line per request, written when the response is finished (Fastify's own pair of
 * "incoming request" / "request completed" lines is off: `disableRequestLogging`). The line
 * carries the request id (the logger's `reqId`), never a header, body or credential.
 */
export const requestLogPlugin = fp(
  async (app) => {
    app.addHook('onResponse', async function logRequest(request, reply) {
      request.log.info(
        {
          method: request.method,
          url: sanitizeUrl(request.url),
          route: routeLabel(request),
          status: reply.statusCode,
          duration_ms: Math.round(reply.elapsedTime * 100) / 100,
          ...(request.principal ? { partner_id: request.principal.partnerId } : {}),
        },
        'request completed',
      );
    });
  },
  { name: 'request-log', dependencies: ['metrics'] },
) satisfies FastifyPluginAsync;
