import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARIABLES, loadConfig } from '../../src/config.js';

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

/** One wrong value for every variable, and the one line it ends the start with (issue 28). */
const WRONG: [Record<string, string>, string][] = [
  [
    { HOST: 'http://x' },
    'invalid HOST: must be a host name or an IP address (e.g. 127.0.0.1 or 0.0.0.0), not a URL',
  ],
  [{ PORT: '70000' }, 'invalid PORT: must be a port number (0-65535)'],
  [{ DATABASE_URL: 'localhost:5432' }, 'invalid DATABASE_URL: must be a URL (postgres: or postgresql:)'],
  [{ REDIS_URL: 'localhost:6379' }, 'invalid REDIS_URL: must be a URL (redis: or rediss:)'],
  [{ ADMIN_TOKEN: 'short' }, 'invalid ADMIN_TOKEN: must be at least 16 characters'],
  [
    { PUBLIC_URL: '127.0.0.1:3000' },
    'invalid PUBLIC_URL: must be a URL with its scheme (http: or https:), e.g. http://127.0.0.1:3000',
  ],
  [{ ACCESS_TOKEN_TTL_SECONDS: '1h' }, 'invalid ACCESS_TOKEN_TTL_SECONDS: must be a positive integer'],
  [{ RATE_LIMIT_PER_HOUR: '0' }, 'invalid RATE_LIMIT_PER_HOUR: must be at least 1'],
  [{ RATE_LIMIT_IP_PER_HOUR: 'many' }, 'invalid RATE_LIMIT_IP_PER_HOUR: must be a positive integer'],
  [{ TRUST_PROXY: 'maybe' }, 'invalid TRUST_PROXY: must be true or false'],
  [{ SEED_DEMO: 'sure' }, 'invalid SEED_DEMO: must be true or false'],
  [{ LOG_LEVEL: 'loud' }, 'invalid LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent'],
  [{ DB_POOL_MAX: '1001' }, 'invalid DB_POOL_MAX: must be at most 1000'],
  [{ DATABASE_PREPARED_STATEMENTS: 'on' }, 'invalid DATABASE_PREPARED_STATEMENTS: must be true or false'],
  [{ DB_COALESCE: 'off' }, 'invalid DB_COALESCE: must be true or false'],
  [{ DB_PIPELINE: 'on' }, 'invalid DB_PIPELINE: must be true or false'],
  [{ EXPIRY_SWEEP_INTERVAL_SECONDS: '0' }, 'invalid EXPIRY_SWEEP_INTERVAL_SECONDS: must be at least 1'],
  [{ DB_CONNECT_TIMEOUT_MS: '0' }, 'invalid DB_CONNECT_TIMEOUT_MS: must be at least 1'],
  [{ DB_STATEMENT_TIMEOUT_MS: '600001' }, 'invalid DB_STATEMENT_TIMEOUT_MS: must be at most 600000'],
  [{ DB_QUERY_TIMEOUT_MS: 'soon' }, 'invalid DB_QUERY_TIMEOUT_MS: must be a positive integer'],
  [{ DB_IN_DOUBT_TIMEOUT_MS: '0' }, 'invalid DB_IN_DOUBT_TIMEOUT_MS: must be at least 1'],
  [{ READINESS_TIMEOUT_MS: '60001' }, 'invalid READINESS_TIMEOUT_MS: must be at most 60000'],
  [{ HTTP_CONNECTION_TIMEOUT_MS: '-1' }, 'invalid HTTP_CONNECTION_TIMEOUT_MS: must be a positive integer'],
  [{ HTTP_HEADERS_TIMEOUT_MS: '0' }, 'invalid HTTP_HEADERS_TIMEOUT_MS: must be at least 1'],
  [{ HTTP_REQUEST_TIMEOUT_MS: '3600001' }, 'invalid HTTP_REQUEST_TIMEOUT_MS: must be at most 3600000'],
  [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: '1.5' }, 'invalid HTTP_KEEP_ALIVE_TIMEOUT_MS: must be a positive integer'],
  [{ HTTP_MAX_CONNECTIONS: '0' }, 'invalid HTTP_MAX_CONNECTIONS: must be at least 1'],
  [
    { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
    'invalid OTEL_EXPORTER_OTLP_ENDPOINT: must be a URL (http: or https:)',
  ],
  [
    { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://collector/v1/traces' },
    'invalid OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be a URL (http: or https:)',
  ],
  [
    { OTEL_SERVICE_NAME: 'x'.repeat(201) },
    'invalid OTEL_SERVICE_NAME: Too big: expected string to have <=200 characters',
  ],
  [{ USAGE_LEDGER_RETENTION_MONTHS: '0' }, 'invalid USAGE_LEDGER_RETENTION_MONTHS: must be at least 1'],
  [
    { USAGE_EVENT_RETENTION_DAYS: '30' },
    'invalid USAGE_EVENT_RETENTION_DAYS: must be at least 35 (event ids are unique for at least 35 days)',
  ],
  [
    { REDIS_KEY_PREFIX: 'a b' },
    'invalid REDIS_KEY_PREFIX: must be 1-64 characters of letters, digits, "_", ".", ":" or "-"',
  ],
  [
    { MAX_EVENT_LOOP_DELAY_MS: '-5' },
    'invalid MAX_EVENT_LOOP_DELAY_MS: must be a whole number of milliseconds (0 disables the check)',
  ],
  [{ MAX_HEAP_USED_BYTES: '1GB' }, 'invalid MAX_HEAP_USED_BYTES: must be a positive integer'],
  [{ MAX_RSS_BYTES: '0' }, 'invalid MAX_RSS_BYTES: must be at least 1'],
  [{ SHUTDOWN_TIMEOUT_MS: '200000' }, 'invalid SHUTDOWN_TIMEOUT_MS: must be at most 120000'],
  [{ WEBHOOK_TIMEOUT_MS: '0' }, 'invalid WEBHOOK_TIMEOUT_MS: must be at least 1'],
  [
    { WEBHOOK_RETRY_SCHEDULE_SECONDS: '5,,6' },
    'invalid WEBHOOK_RETRY_SCHEDULE_SECONDS: must be a comma-separated list of whole seconds, e.g. 5,300,1800',
  ],
  [{ WEBHOOK_ALLOW_PRIVATE_URLS: '2' }, 'invalid WEBHOOK_ALLOW_PRIVATE_URLS: must be true or false'],
  [{ WEBHOOK_POLL_INTERVAL_MS: '0.5' }, 'invalid WEBHOOK_POLL_INTERVAL_MS: must be a positive integer'],
  [
    { WEBHOOK_SECRETS_KEY: 'short' },
    'invalid WEBHOOK_SECRETS_KEY: must be at least 32 characters (e.g. openssl rand -base64 32)',
  ],
];

describe('every variable refused in one line', () => {
  it('covers every variable loadConfig reads (DATA_DIR and SEED_FILE take any path: their own start errors)', () => {
    const covered = WRONG.map(([env]) => Object.keys(env)[0]);
    expect([...covered, 'DATA_DIR', 'SEED_FILE'].sort()).toEqual([...ENV_VARIABLES].sort());
  });

  it.each(WRONG)(
    '%j: a ConfigError naming the variable, never a stack from inside a check',
    (env, message) => {
      let thrown: unknown;
      try {
        loadConfig(env);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as Error).message).toBe(message);
    },
  );
});
