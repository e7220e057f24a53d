import underPressure from '@fastify/under-pressure';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { RETRY_AFTER_SECONDS } from '../error-handler.js';
import { ApiError } from '../errors.js';

/** Liveness and metrics keep answering under load: restarting or blinding an overloaded process helps nobody. */
const EXEMPT_PATHS = new Set(['/healthz', '/metrics']);

/**
 * Load shedding (@fastify/under-pressure): past the event-loop delay, heap or RSS thresholds,
 * requests get 503 service_unavailable with Retry-After instead of queueing until they time out.
 */
export const overloadPlugin = fp(
  async (app) => {
    const { config } = app.services;
    await app.register(underPressure, {
      maxEventLoopDelay: config.maxEventLoopDelayMs,
      // 0 disables a check.
      maxHeapUsedBytes: config.maxHeapUsedBytes ?? 0,
      maxRssBytes: config.maxRssBytes ?? 0,
      retryAfter: RETRY_AFTER_SECONDS,
      pressureHandler: async (request, _reply, type, value) => {
        if (EXEMPT_PATHS.has(request.url.split('?')[0]!)) return;
        request.log.warn({ pressure: type, value }, 'overloaded: request shed');
        throw new ApiError('service_unavailable', 'The server is overloaded. Retry later.', {
          headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
        });
      },
    });
  },
  { name: 'overload' },
) satisfies FastifyPluginAsync;
