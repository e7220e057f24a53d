import rateLimit, {
  type CreateRateLimitOptions,
  type FastifyRateLimitStore,
  normalizeIP,
} from '@fastify/rate-limit';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ERRORS } from '../errors.js';
import type { RateLimitKind } from './metrics.js';
import { connectRedis, type RedisConnection } from './redis.js';

export const WINDOW_MS = 60 * 60 * 1000;
/**
 * Keys each in-process store keeps (one per client IP, one per partner). The plugin's default
 * LRU of 5,000 would evict live counters, and an eviction resets a budget.
 */
export const LOCAL_STORE_KEYS = 100_000;

/** One counter's state after this request counted against it. */
export interface RateLimitOutcome {
  kind: RateLimitKind;
  limit: number;
  remaining: number;
  /** UTC epoch seconds when the window resets. */
  resetAt: number;
  /** Seconds until the window resets, at least 1. */
  retryAfter: number;
  exceeded: boolean;
}

/** Hooks each audience's scope attaches (app.ts): nothing here knows the URLs. */
export interface RateLimitHooks {
  /** onRequest: counts the request against its client IP. */
  countIp(request: FastifyRequest): Promise<void>;
  /** After authentication: counts the request against the verified principal's partner. */
  countPartner(request: FastifyRequest): Promise<void>;
  /** onSend: X-RateLimit-* from the tighter counter this request counted against. */
  sendHeaders<T>(request: FastifyRequest, reply: FastifyReply, payload: T): Promise<T>;
}

declare module 'fastify' {
  interface FastifyInstance {
    rateLimits: RateLimitHooks;
  }
  interface FastifyRequest {
    /** The limits this request counted against; null when its scope is not rate limited. */
    rateLimits: RateLimitOutcome[] | null;
  }
}

/** The counter that binds: an exceeded one, else the fewest remaining, else the later reset. */
export function tightest(outcomes: readonly RateLimitOutcome[]): RateLimitOutcome | undefined {
  return [...outcomes].sort(
    (a, b) => Number(b.exceeded) - Number(a.exceeded) || a.remaining - b.remaining || b.resetAt - a.resetAt,
  )[0];
}

interface StoreDeps {
  redis: RedisConnection | null;
  keyPrefix: string;
  onFallback: () => void;
}

type ScopedParams = { scope?: string };

/**
 * The store given to @fastify/rate-limit: the plugin's Redis store while Redis answers, the
 * plugin's in-process store when it does not (a dead Redis must not stop the service, and
 * ioredis without an offline queue fails at once instead of stalling the request).
 */
function resilientStore(deps: StoreDeps) {
  return class ResilientStore implements FastifyRateLimitStore {
    private readonly shared: FastifyRateLimitStore | null;
    private readonly local: FastifyRateLimitStore;

    constructor(_options?: unknown, scope = 'root') {
      this.shared = deps.redis
        ? new RedisStore(false, false, deps.redis.client, `${deps.keyPrefix}rl:${scope}:`)
        : null;
      this.local = new LocalStore(false, false, LOCAL_STORE_KEYS);
    }

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
      max: number,
    ): void {
      const redis = deps.redis;
      const useLocal = () => {
        deps.onFallback();
        this.local.incr(key, callback, timeWindow, max);
      };
      if (!this.shared || !redis) {
        this.local.incr(key, callback, timeWindow, max);
        return;
      }
      if (!redis.isUp()) {
        redis.reportUnavailable();
        useLocal();
        return;
      }
      this.shared.incr(
        key,
        (err, result) => {
          if (err || !result) {
            redis.reportUnavailable(err);
            useLocal();
          } else {
            callback(null, result);
          }
        },
        timeWindow,
        max,
      );
    }

    child(params: unknown): FastifyRateLimitStore {
      return new ResilientStore(undefined, (params as ScopedParams).scope ?? 'root');
    }
  };
}

const rateLimitedError = (outcome: RateLimitOutcome) =>
  ERRORS.rateLimited(outcome.kind, outcome.limit, outcome.retryAfter);

/**
 * Rate limits (CONTRACT §4) with @fastify/rate-limit's limiters and stores, but our own hooks: a
 * request counts against its client IP on arrival and against its partner once the bearer
 * token is verified (so a forged token spends nobody's budget), and the headers show the
 * tighter of the two counters with the reset as an epoch. The plugin's own hooks can do one
 * key per limiter and set its headers per limiter, so they stay off (`global: false`).
 * Which audience counts what is decided where each scope is registered (app.ts).
 */
export const rateLimitPlugin = fp(
  async (app) => {
    const { config } = app;
    const redis = config.redisUrl ? await connectRedis(config.redisUrl, app.log) : null;
    if (redis) {
      app.metrics.setRedisProbe(redis.isUp);
      app.addHook('onClose', async () => redis.close());
    }

    await app.register(rateLimit, {
      global: false,
      store: resilientStore({
        redis,
        keyPrefix: config.redisKeyPrefix,
        onFallback: () => app.metrics.rateLimitFallback(),
      }),
      // The store never fails (it falls back); should it, serve rather than 500.
      skipOnError: true,
    });

    const limiter = (kind: RateLimitKind, max: number, key: (request: FastifyRequest) => string) => {
      const options: CreateRateLimitOptions & ScopedParams = {
        max,
        timeWindow: WINDOW_MS,
        keyGenerator: key,
        scope: kind,
      };
      const limit = app.createRateLimit(options);
      return async function countRequest(request: FastifyRequest) {
        const result = await limit(request);
        if (result.isAllowed) return;
        const outcome: RateLimitOutcome = {
          kind,
          limit: result.max,
          remaining: result.remaining,
          resetAt: Math.ceil((Date.now() + result.ttl) / 1000),
          retryAfter: Math.max(1, result.ttlInSeconds),
          exceeded: result.isExceeded,
        };
        request.rateLimits = [...(request.rateLimits ?? []), outcome];
        if (outcome.exceeded) {
          app.metrics.rateLimited(kind);
          throw rateLimitedError(outcome);
        }
      };
    };
    // With TRUST_PROXY=false, request.ip is the socket's address: X-Forwarded-For changes nothing.
    const countIp = limiter('ip', config.rateLimitIpPerHour, (request) => normalizeIP(request.ip));
    const countPartner = limiter(
      'partner',
      config.rateLimitPerHour,
      (request) => request.principal!.partnerId,
    );

    app.decorateRequest('rateLimits', null);
    app.decorate('rateLimits', {
      countIp,
      async countPartner(request) {
        if (request.principal) await countPartner(request);
      },
      async sendHeaders(request, reply, payload) {
        const binding = request.rateLimits ? tightest(request.rateLimits) : undefined;
        if (binding) {
          reply.headers({
            'x-ratelimit-limit': String(binding.limit),
            'x-ratelimit-remaining': String(binding.remaining),
            'x-ratelimit-reset': String(binding.resetAt),
          });
        }
        return payload;
      },
    } satisfies RateLimitHooks);
  },
  { name: 'rate-limit', dependencies: ['core', 'metrics'] },
) satisfies FastifyPluginAsync;
