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

  it('has the CONTRACT §8 webhook defaults; private webhook URLs only with the embedded store', () => {
    expect(loadConfig({})).toMatchObject({
      webhookTimeoutMs: 15_000,
      webhookRetryScheduleSeconds: [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400],
      webhookAllowPrivateUrls: true,
      webhookPollIntervalMs: 500,
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db' }).webhookAllowPrivateUrls).toBe(false);
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://h/db',
        WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
        WEBHOOK_RETRY_SCHEDULE_SECONDS: '1, 2,3',
        WEBHOOK_TIMEOUT_MS: '500',
        WEBHOOK_POLL_INTERVAL_MS: '50',
      }),
    ).toMatchObject({
      webhookAllowPrivateUrls: true,
      webhookRetryScheduleSeconds: [1, 2, 3],
      webhookTimeoutMs: 500,
      webhookPollIntervalMs: 50,
    });
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'false' }).webhookAllowPrivateUrls).toBe(false);
  });

  it('never makes a wildcard HOST the issuer: 127.0.0.1 instead, and says so (issue 21 item 6)', () => {
    for (const host of ['0.0.0.0', '::']) {
      const config = loadConfig({ HOST: host, PORT: '3000' });
      expect(config.publicUrl).toBe('http://127.0.0.1:3000');
      expect(config.publicUrlNotice).toBe(
        `PUBLIC_URL is not set and HOST=${host} is every interface: the issuer and absolute URLs use http://127.0.0.1:3000; set PUBLIC_URL to the URL clients reach this server at`,
      );
    }
    expect(loadConfig({ HOST: '0.0.0.0', PUBLIC_URL: 'https://promotions.example/' })).toMatchObject({
      publicUrl: 'https://promotions.example',
      publicUrlNotice: undefined,
    });
    expect(loadConfig({ HOST: '::1', PORT: '4000' })).toMatchObject({
      publicUrl: 'http://[::1]:4000',
      publicUrlNotice: undefined,
    });
    expect(loadConfig({})).toMatchObject({ publicUrl: 'http://127.0.0.1:3000', publicUrlNotice: undefined });
    expect(() => loadConfig({ PUBLIC_URL: 'http://0.0.0.0:3000' })).toThrow(
      'invalid PUBLIC_URL: must name an address clients can reach, not 0.0.0.0 or [::]',
    );
  });

  it('leaves the demo data out by default when a seed file is given', () => {
    expect(loadConfig({}).seedDemo).toBe(true);
    expect(loadConfig({ SEED_FILE: 'seed.yaml' })).toMatchObject({ seedDemo: false, seedFile: 'seed.yaml' });
    expect(loadConfig({ SEED_FILE: 'seed.yaml', SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db' }).seedDemo).toBe(false);
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
    [
      { WEBHOOK_RETRY_SCHEDULE_SECONDS: '5,soon' },
      'invalid WEBHOOK_RETRY_SCHEDULE_SECONDS: must be a comma-separated list of whole seconds, e.g. 5,300,1800',
    ],
    [{ WEBHOOK_ALLOW_PRIVATE_URLS: 'maybe' }, 'invalid WEBHOOK_ALLOW_PRIVATE_URLS: must be true or false'],
    [{ WEBHOOK_TIMEOUT_MS: '0' }, 'invalid WEBHOOK_TIMEOUT_MS: must be at least 1'],
    [
      { WEBHOOK_SECRETS_KEY: 'short' },
      'invalid WEBHOOK_SECRETS_KEY: must be at least 32 characters (e.g. openssl rand -base64 32)',
    ],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: '127.0.0.1:4318' },
      'invalid OTEL_EXPORTER_OTLP_ENDPOINT: must be a URL (http: or https:)',
    ],
  ])('refuses %j in one line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('turns tracing on only with an OTLP endpoint: its /v1/traces, or the traces URL given (CONTRACT §7)', () => {
    expect(loadConfig({}).otelTracesUrl).toBeUndefined();
    expect(loadConfig({}).otelServiceName).toBe('promotions-enrollment-server');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).otelTracesUrl).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp',
        OTEL_SERVICE_NAME: 'promotions-eu',
      }),
    ).toMatchObject({ otelTracesUrl: 'https://traces.example/otlp', otelServiceName: 'promotions-eu' });
  });
});
