import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

/** How long a dead Redis may stall a request: never longer than this. */
export const REDIS_CONNECT_TIMEOUT_MS = 1_000;
export const REDIS_COMMAND_TIMEOUT_MS = 250;
/** Reconnect backoff: 100 ms, 200 ms … capped at 2 s, forever. */
const MAX_RECONNECT_DELAY_MS = 2_000;
/** An unreachable Redis is logged at most this often, not on every request. */
export const REDIS_WARNING_INTERVAL_MS = 60_000;

export interface RedisConnection {
  readonly client: Redis;
  /** True when commands can be sent now; false sends callers to their in-process fallback. */
  isUp(): boolean;
  /** Records a failed command or a skipped one; logs at most once a minute. */
  reportUnavailable(err?: unknown): void;
  close(): Promise<void>;
}

/**
 * A Redis client that never stalls a request: no offline queue (commands fail at once while
 * disconnected), short connect and command timeouts, no per-command retries, and endless
 * reconnects in the background.
 */
export async function connectRedis(
  url: string,
  log: FastifyBaseLogger,
  now: () => number = Date.now,
): Promise<RedisConnection> {
  // Loaded only when REDIS_URL is set (docs/PERFORMANCE.md, "Memory").
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    enableOfflineQueue: false,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    // Only the rate limiter uses this client; a slow Redis should not hold start-up.
    lazyConnect: false,
  });
  let lastWarning = Number.NEGATIVE_INFINITY;
  let wasDown = false;

  const warn = (err: unknown) => {
    const t = now();
    if (t - lastWarning < REDIS_WARNING_INTERVAL_MS) return;
    lastWarning = t;
    wasDown = true;
    log.warn(
      { err: err instanceof Error ? { message: err.message, code: (err as { code?: unknown }).code } : err },
      'Redis is unreachable: rate limits fall back to in-process counters',
    );
  };
  // Without a listener, ioredis errors would be unhandled 'error' events.
  client.on('error', warn);
  client.on('ready', () => {
    if (wasDown) log.info('Redis is reachable again: rate limits are shared again');
    wasDown = false;
  });

  return {
    client,
    isUp: () => client.status === 'ready',
    reportUnavailable: (err) => warn(err ?? new Error(`Redis connection is ${client.status}`)),
    async close() {
      if (client.status === 'ready') {
        await client.quit().catch(() => client.disconnect());
      } else {
        client.disconnect();
      }
    },
  };
}
