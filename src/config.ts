import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = (max = 1_000_000_000) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a positive integer')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1').max(max, `must be at most ${max}`));

/** `new URL(v)`, or undefined: a value that is no URL is a config error, never a stack trace. */
function parseUrl(v: string): URL | undefined {
  try {
    return new URL(v);
  } catch {
    return undefined;
  }
}

const urlWithProtocols = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      const url = parseUrl(v);
      return url !== undefined && protocols.includes(url.protocol);
    },
    `must be a URL (${protocols.join(' or ')})`,
  );

const EnvSchema = z.object({
  HOST: z
    .string()
    .regex(/^[^\s/]+$/, 'must be a host name or an IP address (e.g. 127.0.0.1 or 0.0.0.0), not a URL')
    .default('127.0.0.1'),
  PORT: z
    .string()
    .regex(/^\d+$/, 'must be a port number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(65535, 'must be a port number (0-65535)'))
    .default(3000),
  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:']).optional(),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // One check, not two chained: a refinement after a failed one still runs (zod 4), and a
  // scheme-less `127.0.0.1:3000` must end as this one line, not as new URL's TypeError.
  PUBLIC_URL: z
    .string()
    .superRefine((v, ctx) => {
      const url = parseUrl(v);
      if (!url || !['http:', 'https:'].includes(url.protocol)) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a URL with its scheme (http: or https:), e.g. http://127.0.0.1:3000',
        });
      } else if (['0.0.0.0', '[::]'].includes(url.hostname)) {
        ctx.addIssue({
          code: 'custom',
          message: 'must name an address clients can reach, not 0.0.0.0 or [::]',
        });
      }
    })
    .optional(),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt(31_536_000).default(3600),
  RATE_LIMIT_PER_HOUR: positiveInt().default(9000),
  RATE_LIMIT_IP_PER_HOUR: positiveInt().default(3600),
  TRUST_PROXY: booleanString.default(false),
  SEED_DEMO: booleanString.optional(),
  SEED_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  DB_POOL_MAX: positiveInt(1000).default(10),
  DATABASE_PREPARED_STATEMENTS: booleanString.default(true),
  DB_COALESCE: booleanString.default(true),
  DB_PIPELINE: booleanString.default(false),
  EXPIRY_SWEEP_INTERVAL_SECONDS: positiveInt(86_400).default(60),
  // CONTRACT §12: whole months of the usage ledger kept; platform events kept for dedup.
  USAGE_LEDGER_RETENTION_MONTHS: positiveInt(1200).default(13),
  USAGE_EVENT_RETENTION_DAYS: positiveInt(3650)
    .refine((v) => v >= 35, 'must be at least 35 (event ids are unique for at least 35 days)')
    .default(35),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 characters of letters, digits, "_", ".", ":" or "-"')
    .default('promotions:'),
  MAX_EVENT_LOOP_DELAY_MS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of milliseconds (0 disables the check)')
    .transform(Number)
    .pipe(z.number().int().max(60_000, 'must be at most 60000'))
    .optional(),
  MAX_HEAP_USED_BYTES: positiveInt(Number.MAX_SAFE_INTEGER).optional(),
  MAX_RSS_BYTES: positiveInt(Number.MAX_SAFE_INTEGER).optional(),
  SHUTDOWN_TIMEOUT_MS: positiveInt(120_000).default(10_000),
  WEBHOOK_TIMEOUT_MS: positiveInt(120_000).default(15_000),
  WEBHOOK_RETRY_SCHEDULE_SECONDS: z
    .string()
    .regex(/^\d+(\s*,\s*\d+)*$/, 'must be a comma-separated list of whole seconds, e.g. 5,300,1800')
    .transform((v) => v.split(',').map((s) => Number(s.trim())))
    .pipe(z.array(z.number().int().min(0).max(604_800, 'each delay must be at most 604800')).max(50))
    .optional(),
  WEBHOOK_ALLOW_PRIVATE_URLS: booleanString.optional(),
  WEBHOOK_POLL_INTERVAL_MS: positiveInt(600_000).default(500),
  DB_CONNECT_TIMEOUT_MS: positiveInt(120_000).default(2000),
  DB_STATEMENT_TIMEOUT_MS: positiveInt(600_000).default(5000),
  DB_QUERY_TIMEOUT_MS: positiveInt(600_000).default(6000),
  DB_IN_DOUBT_TIMEOUT_MS: positiveInt(120_000).default(3000),
  READINESS_TIMEOUT_MS: positiveInt(60_000).default(1000),
  HTTP_CONNECTION_TIMEOUT_MS: positiveInt(3_600_000).default(60_000),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(3_600_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(3_600_000).default(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt(3_600_000).default(72_000),
  HTTP_MAX_CONNECTIONS: positiveInt(1_000_000).default(10_000),
  WEBHOOK_SECRETS_KEY: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)')
    .optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: urlWithProtocols(['http:', 'https:']).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: urlWithProtocols(['http:', 'https:']).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(200).default('promotions-enrollment-server'),
});

/** Every variable loadConfig reads. */
export const ENV_VARIABLES = Object.keys(EnvSchema.shape) as (keyof typeof EnvSchema.shape)[];

/** CONTRACT §8: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h. */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE_SECONDS = [
  5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400,
];

export interface Config {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  /** undefined = resolved at start (generated for the embedded store, else admin disabled). */
  adminToken: string | undefined;
  publicUrl: string;
  accessTokenTtlSeconds: number;
  rateLimitPerHour: number;
  rateLimitIpPerHour: number;
  trustProxy: boolean;
  seedDemo: boolean;
  /** CONTRACT §10: the bootstrap (seed) file applied at start, after migrations, before listening. */
  seedFile: string | undefined;
  /**
   * Set when PUBLIC_URL was derived rather than given because HOST listens on every interface
   * (0.0.0.0 or ::): what the server says at start, naming the issuer it chose.
   */
  publicUrlNotice: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  dbPoolMax: number;
  /**
   * Named prepared statements for the hot queries; false behind a transaction pooler
   * (PgBouncer in transaction mode), which cannot keep them across transactions.
   */
  databasePreparedStatements: boolean;
  /**
   * Coalescing (src/db/batcher.ts): GET reads that arrive while two are in flight share one
   * statement over arrays; a lone one goes at once. false: every read its own statement.
   */
  dbCoalesce: boolean;
  /**
   * Statements outside a transaction share two connections in node-postgres' pipeline mode
   * (src/db/pipeline.ts); transactions keep the pool. PostgreSQL only, not behind a
   * transaction pooler. Off by default: measured on a loaded machine only, where POST gained and
   * peak RSS grew ~20 MB (docs/PERFORMANCE.md, "Pipelining").
   */
  dbPipeline: boolean;
  /** How often the expiry sweeper marks expired enrollments and drops old Idempotency-Keys. */
  expirySweepIntervalSeconds: number;
  /** CONTRACT §12: whole months of the usage ledger kept (USAGE_LEDGER_RETENTION_MONTHS, 13). */
  usageLedgerRetentionMonths: number;
  /** CONTRACT §12: days a platform event is remembered for dedup (USAGE_EVENT_RETENTION_DAYS, ≥ 35). */
  usageEventRetentionDays: number;
  /** Prefix of every Redis key, so several deployments (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  /** Overload thresholds (@fastify/under-pressure); 0 or undefined = not checked. */
  maxEventLoopDelayMs: number;
  maxHeapUsedBytes: number | undefined;
  maxRssBytes: number | undefined;
  shutdownTimeoutMs: number;
  /** A webhook attempt that has not answered 2xx within this is a failure. */
  webhookTimeoutMs: number;
  /** Delays before each retry of a failed webhook delivery (±10% jitter). */
  webhookRetryScheduleSeconds: number[];
  /** http:// and loopback/private addresses as webhook URLs: local development and tests only. */
  webhookAllowPrivateUrls: boolean;
  /** How often the webhook dispatcher looks for due deliveries (500 ms: an event arrives within a second). */
  webhookPollIntervalMs: number;
  /** Encrypts webhook endpoint secrets at rest (AES-256-GCM); unset = stored as given. */
  webhookSecretsKey: string | undefined;
  /**
   * PostgreSQL timeouts (CONTRACT §7), so that a database that stops answering becomes a 503
   * within seconds, never a hang: opening a connection and waiting for a free one in the pool
   * (connect), the server's statement_timeout (statement), the client's own bound on one
   * statement's answer, after which the connection is destroyed (query), and how long a
   * request waits to learn whether a lost COMMIT landed (in doubt).
   */
  dbConnectTimeoutMs: number;
  dbStatementTimeoutMs: number;
  dbQueryTimeoutMs: number;
  dbInDoubtTimeoutMs: number;
  /** GET /readyz answers 503 when the database has not answered within this. */
  readinessTimeoutMs: number;
  /**
   * HTTP server bounds (CONTRACT §2): an inactive socket (connection), the request line and
   * headers (headers), the whole request with its body (request), an idle keep-alive socket
   * between requests (keep-alive), and the number of open sockets (max connections).
   */
  httpConnectionTimeoutMs: number;
  httpHeadersTimeoutMs: number;
  httpRequestTimeoutMs: number;
  httpKeepAliveTimeoutMs: number;
  httpMaxConnections: number;
  /**
   * CONTRACT §7 "Traces": where spans go (OTLP/HTTP JSON), the full `…/v1/traces` URL;
   * undefined = tracing off, and OpenTelemetry never loaded.
   */
  otelTracesUrl: string | undefined;
  otelServiceName: string;
}

export class ConfigError extends Error {}

/** Addresses that mean "every interface": never an address a client can use in a URL. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0']);

/**
 * PUBLIC_URL, or one derived from HOST and PORT. The issuer strict OAuth clients compare must
 * be a URL they can reach, so a wildcard HOST (the image's 0.0.0.0) becomes 127.0.0.1, the
 * address that works for a port published on the same machine, and the server says so.
 */
function resolvePublicUrl(e: { HOST: string; PORT: number; PUBLIC_URL?: string }): {
  publicUrl: string;
  notice: string | undefined;
} {
  if (e.PUBLIC_URL) return { publicUrl: e.PUBLIC_URL.replace(/\/+$/, ''), notice: undefined };
  if (WILDCARD_HOSTS.has(e.HOST)) {
    const publicUrl = `http://127.0.0.1:${e.PORT}`;
    return {
      publicUrl,
      notice: `PUBLIC_URL is not set and HOST=${e.HOST} is every interface: the issuer and absolute URLs use ${publicUrl}; set PUBLIC_URL to the URL clients reach this server at`,
    };
  }
  const displayHost = e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST;
  return { publicUrl: `http://${displayHost}:${e.PORT}`, notice: undefined };
}

/** Parses the environment; the first problem becomes one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as shells and compose files often produce them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`invalid ${name}: ${issue.message}`);
  }
  const e = parsed.data;
  // Node refuses a headers timeout longer than the request timeout it is part of.
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('invalid HTTP_HEADERS_TIMEOUT_MS: must be at most HTTP_REQUEST_TIMEOUT_MS');
  }
  const { publicUrl, notice } = resolvePublicUrl(e);
  return {
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    adminToken: e.ADMIN_TOKEN,
    publicUrl,
    publicUrlNotice: notice,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    rateLimitPerHour: e.RATE_LIMIT_PER_HOUR,
    rateLimitIpPerHour: e.RATE_LIMIT_IP_PER_HOUR,
    trustProxy: e.TRUST_PROXY,
    // A seed file declares what should exist, so the demo data stays out unless asked for.
    seedDemo: e.SEED_DEMO ?? (!e.DATABASE_URL && !e.SEED_FILE),
    seedFile: e.SEED_FILE,
    logLevel: e.LOG_LEVEL,
    dbPoolMax: e.DB_POOL_MAX,
    databasePreparedStatements: e.DATABASE_PREPARED_STATEMENTS,
    dbCoalesce: e.DB_COALESCE,
    dbPipeline: e.DB_PIPELINE,
    expirySweepIntervalSeconds: e.EXPIRY_SWEEP_INTERVAL_SECONDS,
    usageLedgerRetentionMonths: e.USAGE_LEDGER_RETENTION_MONTHS,
    usageEventRetentionDays: e.USAGE_EVENT_RETENTION_DAYS,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    // Embedded PGlite runs every query on the event loop, so there a slow query would read as
    // overload: the check is off by default with it, 1 s with PostgreSQL.
    maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS ?? (e.DATABASE_URL ? 1000 : 0),
    maxHeapUsedBytes: e.MAX_HEAP_USED_BYTES,
    maxRssBytes: e.MAX_RSS_BYTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    webhookRetryScheduleSeconds: e.WEBHOOK_RETRY_SCHEDULE_SECONDS ?? DEFAULT_WEBHOOK_RETRY_SCHEDULE_SECONDS,
    // The embedded store is for local development, where receivers are on localhost.
    webhookAllowPrivateUrls: e.WEBHOOK_ALLOW_PRIVATE_URLS ?? !e.DATABASE_URL,
    webhookPollIntervalMs: e.WEBHOOK_POLL_INTERVAL_MS,
    webhookSecretsKey: e.WEBHOOK_SECRETS_KEY,
    dbConnectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
    dbStatementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    dbQueryTimeoutMs: e.DB_QUERY_TIMEOUT_MS,
    dbInDoubtTimeoutMs: e.DB_IN_DOUBT_TIMEOUT_MS,
    readinessTimeoutMs: e.READINESS_TIMEOUT_MS,
    httpConnectionTimeoutMs: e.HTTP_CONNECTION_TIMEOUT_MS,
    httpHeadersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
    httpRequestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    httpKeepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    httpMaxConnections: e.HTTP_MAX_CONNECTIONS,
    // The OTLP specification's rule: the signal's own variable as given, else the base + /v1/traces.
    otelTracesUrl:
      e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
      (e.OTEL_EXPORTER_OTLP_ENDPOINT
        ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`
        : undefined),
    otelServiceName: e.OTEL_SERVICE_NAME,
  };
}
