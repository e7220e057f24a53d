import underPressure from '@fastify/under-pressure';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { ERRORS, RETRY_AFTER_SECONDS } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Keeps answering under load (liveness, metrics): restarting or blinding an overloaded
     * process helps nobody.
     */
    neverShed?: boolean;
  }
  interface FastifyRequest {
    /** Set on arrival when the process is past a threshold; the request is shed before parsing. */
    pressure: { type: string; value: number | undefined } | null;
  }
}

/**
 * Load shedding (@fastify/under-pressure): past the event-loop delay, heap or RSS thresholds,
 * requests get 503 service_unavailable with Retry-After instead of queueing until they time out.
 * The pressure is noted on arrival and the request shed before its body is parsed, so every
 * scope's own onRequest hooks (its rate-limit counters and their headers) have run by then.
 */
export const overloadPlugin = fp(
  async (app) => {
    const { config } = app;
    await app.register(underPressure, {
      maxEventLoopDelay: config.maxEventLoopDelayMs,
      // 0 disables a check.
      maxHeapUsedBytes: config.maxHeapUsedBytes ?? 0,
      maxRssBytes: config.maxRssBytes ?? 0,
      retryAfter: RETRY_AFTER_SECONDS,
      pressureHandler: async function noteOverload(request, _reply, type, value) {
        if (!request.routeOptions.config.neverShed) request.pressure = { type, value };
      },
    });
    app.decorateRequest('pressure', null);
    app.addHook('preParsing', async function shedOverload(request) {
      if (!request.pressure) return;
      request.log.warn(
        { pressure: request.pressure.type, value: request.pressure.value },
        'overloaded: request shed',
      );
      throw ERRORS.overloaded();
    });
  },
  { name: 'overload', dependencies: ['core'] },
) satisfies FastifyPluginAsync;
