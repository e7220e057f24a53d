import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('operational configuration', () => {
  it('has defaults that keep a single instance safe', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      redisUrl: undefined,
      redisKeyPrefix: 'promotions:',
      rateLimitPerHour: 9000,
      rateLimitIpPerHour: 3600,
      trustProxy: false,
      maxEventLoopDelayMs: 0,
      maxHeapUsedBytes: undefined,
      maxRssBytes: undefined,
      shutdownTimeoutMs: 10_000,
    });
  });

  it('checks the event-loop delay by default only with PostgreSQL (PGlite queries run on the event loop)', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db' }).maxEventLoopDelayMs).toBe(1000);
    expect(
      loadConfig({ DATABASE_URL: 'postgres://h/db', MAX_EVENT_LOOP_DELAY_MS: '0' }).maxEventLoopDelayMs,
    ).toBe(0);
    expect(loadConfig({ MAX_EVENT_LOOP_DELAY_MS: '250' }).maxEventLoopDelayMs).toBe(250);
  });

  it('reads the thresholds and the Redis settings', () => {
    expect(
      loadConfig({
        REDIS_URL: 'redis://cache:6379',
        REDIS_KEY_PREFIX: 'eu-1:',
        MAX_HEAP_USED_BYTES: '1000000000',
        MAX_RSS_BYTES: '2000000000',
        SHUTDOWN_TIMEOUT_MS: '5000',
      }),
    ).toMatchObject({
      redisUrl: 'redis://cache:6379',
      redisKeyPrefix: 'eu-1:',
      maxHeapUsedBytes: 1_000_000_000,
      maxRssBytes: 2_000_000_000,
      shutdownTimeoutMs: 5000,
    });
  });

  it.each([
    [{ REDIS_URL: 'http://cache' }, 'invalid REDIS_URL: must be a URL (redis: or rediss:)'],
    [
      { REDIS_KEY_PREFIX: 'has space' },
      'invalid REDIS_KEY_PREFIX: must be 1-64 characters of letters, digits, "_", ".", ":" or "-"',
    ],
    [
      { MAX_EVENT_LOOP_DELAY_MS: 'soon' },
      'invalid MAX_EVENT_LOOP_DELAY_MS: must be a whole number of milliseconds (0 disables the check)',
    ],
    [{ MAX_RSS_BYTES: '0' }, 'invalid MAX_RSS_BYTES: must be at least 1'],
    [{ SHUTDOWN_TIMEOUT_MS: '999999' }, 'invalid SHUTDOWN_TIMEOUT_MS: must be at most 120000'],
  ])('refuses %j in one line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
