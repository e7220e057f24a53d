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
    /** under-pressure's heap and RSS checks, for the requests its delay check ended early. */
    const memoryPressure = (m: { heapUsed: number; rssBytes: number }) => {
      if (config.maxHeapUsedBytes && m.heapUsed > config.maxHeapUsedBytes)
        return { type: 'heapUsedBytes', value: m.heapUsed };
      if (config.maxRssBytes && m.rssBytes > config.maxRssBytes)
        return { type: 'rssBytes', value: m.rssBytes };
      return null;
    };
    await app.register(underPressure, {
      maxEventLoopDelay: config.maxEventLoopDelayMs,
      // 0 disables a check.
      maxHeapUsedBytes: config.maxHeapUsedBytes ?? 0,
      maxRssBytes: config.maxRssBytes ?? 0,
      retryAfter: RETRY_AFTER_SECONDS,
      pressureHandler: async function noteOverload(request, _reply, type, value) {
        if (request.routeOptions.config.neverShed) return;
        if (type === 'eventLoopDelay' && value === Number.POSITIVE_INFINITY) {
          // No delay sampled yet: under-pressure reads an empty histogram (NaN) as an infinite
          // delay, which a fresh process on a busy CPU shows for its first second after
          // /healthz is 200. No measurement is no overload; the next sample is a real one. The
          // delay check came first and ended under-pressure's checks: the memory ones here.
          const pressure = memoryPressure(app.memoryUsage());
          if (pressure) request.pressure = pressure;
          return;
        }
        request.pressure = { type, value };
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
