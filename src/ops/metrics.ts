import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The label of requests no route matched: raw URLs would make the label set unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type RateLimitKind = 'ip' | 'partner';

export interface Metrics {
  readonly registry: Registry;
  rateLimited(kind: RateLimitKind): void;
  rateLimitFallback(): void;
  /** Reports Redis reachability; called by the rate limiter that owns the connection. */
  setRedisProbe(probe: () => boolean): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

/** The route template (`/v2/promotions/:enrollment_id`), never the raw URL. */
export const routeLabel = (request: FastifyRequest) => request.routeOptions.url ?? UNMATCHED_ROUTE;

/**
 * Prometheus metrics on a registry of this app's own (tests build many apps in one process)
 * and `GET /metrics` in the text exposition format.
 */
export const metricsPlugin = fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const { database } = app;

    const requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route template and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to the end of its response, by method, route template and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    const rejections = new Counter({
      name: 'rate_limit_rejections_total',
      help: 'Requests answered 429 rate_limited, by the limit that was spent (ip or partner).',
      labelNames: ['kind'] as const,
      registers: [registry],
    });
    rejections.inc({ kind: 'ip' }, 0);
    rejections.inc({ kind: 'partner' }, 0);
    const fallbacks = new Counter({
      name: 'rate_limit_local_fallback_total',
      help: 'Rate-limit decisions taken on in-process counters because Redis was unreachable.',
      registers: [registry],
    });
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections by state: total (open), idle, waiting (queued checkouts). Absent on embedded PGlite.',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const stats = database.poolStats();
        if (!stats) return;
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'in_use' }, stats.total - stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });

    app.decorate('metrics', {
      registry,
      rateLimited: (kind: RateLimitKind) => rejections.inc({ kind }),
      rateLimitFallback: () => fallbacks.inc(),
      // Registered only with REDIS_URL: without a shared store there is nothing to report.
      setRedisProbe: (probe: () => boolean) => {
        new Gauge({
          name: 'redis_up',
          help: 'Whether the shared rate-limit store (REDIS_URL) is reachable: 1 up, 0 down.',
          registers: [registry],
          collect() {
            this.set(probe() ? 1 : 0);
          },
        });
      },
    } satisfies Metrics);

    app.addHook('onResponse', async function recordRequestMetrics(request, reply) {
      const labels = { method: request.method, route: routeLabel(request), status: String(reply.statusCode) };
      requests.inc(labels);
      duration.observe(labels, reply.elapsedTime / 1000);
    });

    app.get('/metrics', { config: { neverShed: true } }, async function serveMetrics(_request, reply) {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    });
  },
  { name: 'metrics', dependencies: ['core'] },
) satisfies FastifyPluginAsync;
