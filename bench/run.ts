/**
 * `npm run bench`: the real server and a bare baseline, side by side on the machine's
 * PostgreSQL, each driven by autocannon from its own process; pgbench gives the database's own
 * ceiling. Prints a Markdown table and writes bench/results/latest.{md,json}.
 *
 * The server is what `npm start` runs: `npm run build`, then `node dist/src/server.js`.
 *
 * Environment: BENCH_DATABASE_URL (dropped and recreated), BENCH_DURATION (s, 10),
 * BENCH_WARMUP (s, 3), BENCH_CONNECTIONS (50), BENCH_POOL_MAX (10, both servers),
 * BENCH_SCALE=1 (repeat GET and POST on 1,000,000 enrollments; BENCH_SCALE_ROWS to change),
 * BENCH_SCENARIOS=get,post,delete,token,mix,post_webhook,ingest,entitlements (a subset: e.g.
 * BENCH_SCENARIOS=ingest,entitlements for CONTRACT §12's metering alone), BENCH_PGBENCH=0 (skip pgbench),
 * BENCH_INGEST_CONNECTIONS (8: concurrent batches of 500 events), BENCH_INGEST_BATCH_RATE (80:
 * batches/s the seeded pool of distinct batches is sized for), BENCH_SCALE=1 also repeats ingest
 * after BENCH_SCALE_LEDGER_ROWS (10,000,000) usage ledger rows,
 * BENCH_CPU_PROF=<dir> (run the server under `node --cpu-prof`), BENCH_SOAK=<s> (a mixed soak
 * of that many seconds, RSS sampled every second), BENCH_PGBOUNCER (on when `pgbouncer` is on PATH;
 * 0 skips it: GET and POST again with both servers through a private PgBouncer in transaction
 * mode on BENCH_PGBOUNCER_PORT, 6545, the server with DATABASE_PREPARED_STATEMENTS=false),
 * BENCH_MAX_LOAD (1.5) and
 * BENCH_MAX_BASELINE_P99_MS (100): above either the machine is starved and latest.* is not
 * written, unless BENCH_FORCE=1.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { calibrate } from './calibrate.js';
import type { LoadResult, LoadSpec, RequestItem } from './load.js';
import { type PgbenchResult, pgbenchScripts, runPgbench } from './pgbench.js';
import { rssBytes } from './probe.js';
import {
  buildServer,
  ROOT,
  runLoad,
  SERVER_ENTRY,
  type Served,
  sampleRss,
  startServer,
  stopServer,
} from './processes.js';
import { type Machine, renderMarkdown, type ScenarioResult, type SoakResult, soakGrowth } from './report.js';
import { BulkSeeder, type Partner, PROMOTION_ID, recreateDatabase, seedCore } from './seed.js';

const env = process.env;
const num = (name: string, fallback: number) => {
  const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
};

const DB_URL = env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/bench';
const DURATION = num('BENCH_DURATION', 10);
const WARMUP = num('BENCH_WARMUP', 3);
const CONNECTIONS = num('BENCH_CONNECTIONS', 50);
const POOL_MAX = num('BENCH_POOL_MAX', 10);
const SCALE = env.BENCH_SCALE === '1' || env.BENCH_SCALE === 'true';
const SCALE_ROWS = num('BENCH_SCALE_ROWS', 1_000_000);
const PGBENCH = env.BENCH_PGBENCH !== '0';
const CPU_PROF = env.BENCH_CPU_PROF ? resolve(env.BENCH_CPU_PROF) : undefined;
const SOAK = num('BENCH_SOAK', 0);
const hasPgbouncer = () => {
  try {
    execFileSync('sh', ['-c', 'command -v pgbouncer'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const POOLER =
  env.BENCH_PGBOUNCER === undefined || env.BENCH_PGBOUNCER === ''
    ? hasPgbouncer()
    : env.BENCH_PGBOUNCER !== '0';
const POOLER_PORT = num('BENCH_PGBOUNCER_PORT', 6545);
// A starved machine: its figures say more about the neighbours than about the server. On a
// quiet machine of this kind the 1-minute load average is below 0.5 before a run and the bare
// baseline's p99 at 50 connections is 20–45 ms.
const MAX_LOAD = num('BENCH_MAX_LOAD', 1.5);
const MAX_BASELINE_P99_MS = num('BENCH_MAX_BASELINE_P99_MS', 100);
// The machine's own speed (bench/calibrate.ts) must hold through the bench: slowest ÷ fastest
// calibration at most this. Quiet, it stays within a few percent.
const MAX_SPEED_SPREAD = num('BENCH_MAX_SPEED_SPREAD', 1.2);
/** The calibration taken before each counted run, in order. */
const calibration: { run: string; ms: number }[] = [];
const FORCE = env.BENCH_FORCE === '1';
const ALL = ['get', 'post', 'delete', 'token', 'mix', 'post_webhook', 'ingest', 'entitlements'] as const;
type Kind = (typeof ALL)[number];
const SCENARIOS = (env.BENCH_SCENARIOS ? env.BENCH_SCENARIOS.split(',') : [...ALL]) as Kind[];
for (const s of SCENARIOS) if (!ALL.includes(s)) throw new Error(`unknown scenario ${s}`);

// CONTRACT §12 (issue 25): batches of 500 events over 10,000 accounts, 8 at a time.
const INGEST_BATCH = 500;
const INGEST_ACCOUNTS = 10_000;
const INGEST_CONNECTIONS = num('BENCH_INGEST_CONNECTIONS', 8);
const INGEST_BATCH_RATE = num('BENCH_INGEST_BATCH_RATE', 80);
const SCALE_LEDGER_ROWS = num('BENCH_SCALE_LEDGER_ROWS', 10_000_000);

const SERVER_PORT = 3210;
const BASELINE_PORT = 3211;
const SERVER_COUNTER_PORT = 3212;
const BASELINE_COUNTER_PORT = 3213;
const QUERY_COUNTER = pathToFileURL(join(ROOT, 'bench', 'query-counter.mjs')).href;
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const PARTNERS = 10;
const GET_ENROLLMENTS = 5_000;
// Consumed pools (one fresh account per POST, one live enrollment per DELETE) are sized for
// these rates over warm-up + run; beyond them items repeat and the report flags it.
const SECONDS = WARMUP + DURATION + 1;
const SERVER_RATE = 7_000;
const BASELINE_RATE = 20_000;
const cap = (rate: number, share = 1, seconds = SECONDS) => Math.ceil(rate * share * seconds);
const MIX_PATTERN = Array.from({ length: 20 }, (_, i) =>
  i === 19 ? 'delete' : i % 6 === 5 ? 'post' : 'get',
); // 16 GET, 3 POST, 1 DELETE

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

interface Pools {
  partners: Partner[];
  get: GetPool;
  /** POST /admin/v1/usage_events bodies: the server's (distinct event ids per pass) and the baseline's. */
  ingest: { small: string[]; scale: string[]; baseline: string[] };
  server: Record<'post' | 'mixPost' | 'scalePost' | 'poolerPost' | 'soakPost' | 'postWebhook', string[]> &
    Record<'delete' | 'mixDelete' | 'soakDelete', string[]>;
  baseline: Record<'post' | 'mixPost' | 'scalePost' | 'poolerPost' | 'postWebhook', string[]> &
    Record<'delete' | 'mixDelete', string[]>;
}
interface GetPool {
  enrollmentIds: string[];
  tokens: string[];
}

async function seed(): Promise<Pools> {
  const started = Date.now();
  await recreateDatabase(DB_URL);
  const partners = await seedCore(DB_URL, PARTNERS);
  const seeder = await BulkSeeder.open(DB_URL, partners[0]!.id);
  try {
    const want = (kind: Kind) => SCENARIOS.includes(kind);
    const wantScale = SCALE && (want('get') || want('post'));
    // GET: enrolled accounts with their user tokens and a usage counter each.
    const getAccounts = await seeder.accounts('get', GET_ENROLLMENTS);
    const getIds = await seeder.enrollments('get-e', 'get', GET_ENROLLMENTS, true);
    const getTokens = await seeder.userTokens(getAccounts);

    // POST: fresh accounts; the server's need a user token each, the baseline's only an id.
    const userPool = async (name: string, n: number) =>
      n === 0 ? [] : seeder.userTokens(await seeder.accounts(name, n));
    const idPool = (name: string, n: number) => (n === 0 ? Promise.resolve([]) : seeder.accounts(name, n));
    const livePool = async (name: string, n: number) => {
      if (n === 0) return [];
      await seeder.accounts(name, n);
      return seeder.enrollments(`${name}-e`, name, n, false);
    };
    const server = {
      post: await userPool('post-srv', want('post') ? cap(SERVER_RATE) : 0),
      mixPost: await userPool('mix-post-srv', want('mix') ? cap(SERVER_RATE * 2, 0.15) : 0),
      scalePost: await userPool('scale-post-srv', wantScale && want('post') ? cap(SERVER_RATE) : 0),
      poolerPost: await userPool('pooler-post-srv', POOLER && want('post') ? cap(SERVER_RATE) : 0),
      postWebhook: await userPool('post-wh-srv', want('post_webhook') ? cap(SERVER_RATE) : 0),
      delete: await livePool('del-srv', want('delete') ? cap(SERVER_RATE) : 0),
      mixDelete: await livePool('mix-del-srv', want('mix') ? cap(SERVER_RATE * 2, 0.05) : 0),
      // The soak runs the mix for BENCH_SOAK seconds without warm-up: its own pools, sized alike.
      soakPost: await userPool('soak-post-srv', SOAK > 0 ? cap(SERVER_RATE, 0.15, SOAK + 1) : 0),
      soakDelete: await livePool('soak-del-srv', SOAK > 0 ? cap(SERVER_RATE, 0.05, SOAK + 1) : 0),
    };
    const baseline = {
      post: await idPool('post-base', want('post') ? cap(BASELINE_RATE) : 0),
      mixPost: await idPool('mix-post-base', want('mix') ? cap(BASELINE_RATE, 0.15) : 0),
      scalePost: await idPool('scale-post-base', wantScale && want('post') ? cap(BASELINE_RATE) : 0),
      poolerPost: await idPool('pooler-post-base', POOLER && want('post') ? cap(BASELINE_RATE) : 0),
      postWebhook: await idPool('post-wh-base', want('post_webhook') ? cap(BASELINE_RATE) : 0),
      delete: await livePool('del-base', want('delete') ? cap(BASELINE_RATE) : 0),
      mixDelete: await livePool('mix-del-base', want('mix') ? cap(BASELINE_RATE, 0.05) : 0),
    };
    const wantMetering = want('ingest') || want('entitlements');
    // The scale pass draws from a second 10,000 accounts, whose counters start where the first
    // pass's did: it measures the ledger's size, not limits the first pass has filled.
    if (wantMetering) await seeder.metering(SCALE && want('ingest') ? 2 * INGEST_ACCOUNTS : INGEST_ACCOUNTS);
    const ingestBatches = want('ingest') ? cap(INGEST_BATCH_RATE) : 0;
    const ingest = {
      small: batches('s', ingestBatches),
      scale: SCALE ? batches('x', ingestBatches, INGEST_ACCOUNTS) : [],
      baseline: batches('b', ingestBatches),
    };
    if (PGBENCH) await seeder.pgbenchFixtures(100, 5_000, 10_000);
    await seeder.analyze();
    log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { partners, get: { enrollmentIds: getIds, tokens: getTokens }, ingest, server, baseline };
  } finally {
    await seeder.close();
  }
}

/**
 * `n` request bodies of INGEST_BATCH events each, ids unique to `prefix`: accounts by external id
 * drawn at random from 10,000 seeded ones after `firstAccount`, 1 to 5 tasks, no occurred_at (now).
 */
function batches(prefix: string, n: number, firstAccount = 0): string[] {
  return Array.from({ length: n }, (_, b) =>
    JSON.stringify({
      events: Array.from({ length: INGEST_BATCH }, (_, i) => ({
        id: `${prefix}-${b}-${i}`,
        external_account_id: `ing-${firstAccount + 1 + Math.floor(Math.random() * INGEST_ACCOUNTS)}`,
        tasks: 1 + Math.floor(Math.random() * 5),
      })),
    }),
  );
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const enrollmentPath = (id: string) => `/v2/promotions/${PROMOTION_ID}:${id}`;

/** The requests of one scenario against the real server. */
/** Which pass a run belongs to: its own pools of consumed items (POST accounts). */
type Pass = 'small' | 'scale' | 'pooler';
const POST_POOL = { small: 'post', scale: 'scalePost', pooler: 'poolerPost' } as const;

function serverRequests(kind: Kind | 'soak', pools: Pools, pass: Pass): LoadSpec['pools'] {
  const appToken = pools.partners[0]!.appToken;
  const get = {
    items: pools.get.enrollmentIds.map(
      (id, i): RequestItem => ({
        method: 'GET',
        path: enrollmentPath(id),
        headers: bearer(pools.get.tokens[i]!),
      }),
    ),
    consumed: false,
  };
  const post = (tokens: string[]) => ({
    items: tokens.map(
      (token): RequestItem => ({
        method: 'POST',
        path: '/v2/promotions',
        headers: bearer(token),
        body: JSON.stringify({ promotion_id: PROMOTION_ID }),
      }),
    ),
    consumed: true,
  });
  const del = (ids: string[]) => ({
    items: ids.map(
      (id): RequestItem => ({ method: 'DELETE', path: enrollmentPath(id), headers: bearer(appToken) }),
    ),
    consumed: true,
  });
  switch (kind) {
    case 'get':
      return { get };
    case 'post':
      return { post: post(pools.server[POST_POOL[pass]]) };
    case 'post_webhook':
      return { post: post(pools.server.postWebhook) };
    case 'delete':
      return { delete: del(pools.server.delete) };
    case 'token':
      return {
        token: {
          items: pools.partners.map(
            (p): RequestItem => ({
              method: 'POST',
              path: '/oauth/token',
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                authorization: `Basic ${Buffer.from(`${encodeURIComponent(p.clientId)}:${encodeURIComponent(p.clientSecret)}`).toString('base64')}`,
              },
              body: 'grant_type=client_credentials',
            }),
          ),
          consumed: false,
        },
      };
    case 'mix':
      return { get, post: post(pools.server.mixPost), delete: del(pools.server.mixDelete) };
    case 'soak':
      return { get, post: post(pools.server.soakPost), delete: del(pools.server.soakDelete) };
    case 'ingest':
      return {
        ingest: {
          items: pools.ingest[pass === 'scale' ? 'scale' : 'small'].map(
            (body): RequestItem => ({
              method: 'POST',
              path: '/admin/v1/usage_events',
              headers: bearer(ADMIN_TOKEN),
              body,
            }),
          ),
          consumed: true,
        },
      };
    case 'entitlements':
      return {
        entitlements: {
          items: Array.from(
            { length: INGEST_ACCOUNTS },
            (_, g): RequestItem => ({
              method: 'GET',
              path: `/admin/v1/entitlements?external_account_id=ing-${g + 1}`,
              headers: bearer(ADMIN_TOKEN),
            }),
          ),
          consumed: false,
        },
      };
  }
}

/** The same requests against the baseline: ids instead of tokens, no checks. */
function baselineRequests(kind: Kind, pools: Pools, pass: Pass): LoadSpec['pools'] {
  const get = {
    items: pools.get.enrollmentIds.map((id): RequestItem => ({ method: 'GET', path: `/enrollments/${id}` })),
    consumed: false,
  };
  const post = (accountIds: string[]) => ({
    items: accountIds.map(
      (id): RequestItem => ({
        method: 'POST',
        path: '/enrollments',
        body: JSON.stringify({ account_id: id }),
      }),
    ),
    consumed: true,
  });
  const del = (ids: string[]) => ({
    items: ids.map((id): RequestItem => ({ method: 'DELETE', path: `/enrollments/${id}` })),
    consumed: true,
  });
  switch (kind) {
    case 'get':
      return { get };
    case 'post':
      return { post: post(pools.baseline[POST_POOL[pass]]) };
    case 'post_webhook':
      return { post: post(pools.baseline.postWebhook) };
    case 'delete':
      return { delete: del(pools.baseline.delete) };
    case 'token':
      return { token: { items: [{ method: 'POST', path: '/token' }], consumed: false } };
    case 'mix':
      return { get, post: post(pools.baseline.mixPost), delete: del(pools.baseline.mixDelete) };
    case 'ingest':
      // The baseline keeps no event ids: a batch sent again costs it the same.
      return {
        ingest: {
          items: pools.ingest.baseline.map(
            (body): RequestItem => ({ method: 'POST', path: '/usage_events', body }),
          ),
          consumed: false,
        },
      };
    case 'entitlements':
      throw new Error("entitlements is measured against the server's own GET /v2/promotions");
  }
}

async function drive(
  served: Served,
  requestPools: LoadSpec['pools'],
  kind: Kind | 'soak',
  counterPort: number,
  timing: { duration: number; warmup: number } = { duration: DURATION, warmup: WARMUP },
): Promise<LoadResult & { peakRssBytes: number; startRssBytes: number; countedUs: [number, number] }> {
  // RSS right before the load (idle for the first scenario of a pass), for the log line.
  const startRssBytes = rssBytes(served.child.pid!) ?? 0;
  const sampler = sampleRss(served.child.pid!);
  const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
  const from = monotonicUs() + timing.warmup * 1_000_000;
  try {
    const result = await runLoad({
      url: served.url,
      connections: kind === 'ingest' ? INGEST_CONNECTIONS : CONNECTIONS,
      ...timing,
      pools: requestPools,
      pattern: kind === 'mix' || kind === 'soak' ? MIX_PATTERN : [Object.keys(requestPools)[0]!],
      probe: {
        pid: served.child.pid!,
        counterUrl: `http://127.0.0.1:${counterPort}/`,
        sampleRss: kind === 'soak',
      },
    });
    return { ...result, peakRssBytes: sampler.stop(), startRssBytes, countedUs: [from, monotonicUs()] };
  } finally {
    sampler.stop();
  }
}

/**
 * Before every counted run (baseline and server alike): VACUUM ANALYZE, a CHECKPOINT, no
 * autovacuum worker left running, then the machine's speed (`calibrate`, recorded as `run`). Otherwise the run after a write-heavy one pays for it — the
 * server's run comes right after the baseline's of the same scenario, whose 50,000+ updates
 * or inserts autovacuum then cleans up and the checkpointer writes out, on the same 2 cores,
 * billed to PostgreSQL's CPU per request of the run that happens to be measured.
 */
async function settle(run: string): Promise<void> {
  const client = new pg.Client({ connectionString: DB_URL });
  await client.connect();
  try {
    await client.query('vacuum (analyze)');
    await client.query('checkpoint');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where backend_type = 'autovacuum worker'`,
      );
      if (rows[0]!.n === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await client.end();
  }
  calibration.push({ run, ms: calibrate() });
}

/**
 * post_webhook: one enabled endpoint of the POST partner subscribed to every event type, so
 * each enrollment also writes its webhook event and delivery; removed (with what it queued)
 * after the scenario. Its URL is a closed loopback port: nothing is delivered during the run.
 */
async function subscribe(partnerId: string, on: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: DB_URL });
  await client.connect();
  try {
    if (on) {
      await client.query(
        `insert into webhook_endpoints (id, partner_id, url, event_types, secret)
         values ('we_bench', $1, 'http://127.0.0.1:9/webhooks',
                 '{enrollment.created,enrollment.unenrolled,enrollment.expired,usage.threshold_reached,usage.limit_reached,promotion.ended}',
                 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')`,
        [partnerId],
      );
    } else {
      await client.query(`delete from webhook_endpoints where id = 'we_bench'`);
    }
  } finally {
    await client.end();
  }
}

async function machine(loadAverage: number[]): Promise<Machine> {
  const client = new pg.Client({ connectionString: DB_URL });
  await client.connect();
  const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
  await client.end();
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryBytes: os.totalmem(),
    loadAverage,
    node: process.version,
    postgres: rows[0]!.v,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    warmupSeconds: WARMUP,
    poolMax: POOL_MAX,
    date: new Date().toISOString(),
  };
}

async function main(): Promise<void> {
  // Read before the build and the seeding load the machine themselves.
  const loadAtStart = os.loadavg();
  log(
    `database ${DB_URL}; ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per run; ` +
      `load average ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')}`,
  );
  log('npm run build');
  const start = await buildServer(log);
  const pools = await seed();
  const info = await machine(loadAtStart);

  const serverEnv = {
    DATABASE_URL: DB_URL,
    LOG_LEVEL: 'warn',
    ADMIN_TOKEN,
    RATE_LIMIT_PER_HOUR: '100000000',
    RATE_LIMIT_IP_PER_HOUR: '100000000',
    DB_POOL_MAX: String(POOL_MAX),
    SEED_DEMO: 'false',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    // post_webhook subscribes one endpoint on loopback. Its deliveries wait until the scenario
    // is over (a long poll interval), so the run measures the request path alone: the outbox
    // rows written in the enrollment's statement.
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_POLL_INTERVAL_MS: '600000',
  };
  if (CPU_PROF) mkdirSync(CPU_PROF, { recursive: true });
  // Each pass (small table, 1M rows, through PgBouncer) gets fresh processes of both servers,
  // so no pass inherits the heap, JIT state or pool of the ones before it.
  const startPair = async (databaseUrl: string, extra: Record<string, string> = {}) => ({
    // `npm start` plus the query counter (bench/query-counter.mjs), which changes nothing served.
    server: await startServer(
      'server',
      SERVER_ENTRY,
      SERVER_PORT,
      {
        ...start.env,
        ...serverEnv,
        DATABASE_URL: databaseUrl,
        ...extra,
        BENCH_QUERY_COUNTER_PORT: String(SERVER_COUNTER_PORT),
      },
      [
        ...start.nodeArgs,
        '--import',
        QUERY_COUNTER,
        ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []),
      ],
    ),
    baseline: await startServer(
      'baseline',
      'bench/baseline.ts',
      BASELINE_PORT,
      {
        DATABASE_URL: databaseUrl,
        DB_POOL_MAX: String(POOL_MAX),
        BENCH_PROMOTION_ID: PROMOTION_ID,
        BENCH_PARTNER_ID: pools.partners[0]!.id,
        BENCH_QUERY_COUNTER_PORT: String(BASELINE_COUNTER_PORT),
      },
      ['--import', 'tsx', '--import', QUERY_COUNTER],
    ),
  });
  const stopPair = async (pair: { server: Served; baseline: Served } | null) => {
    if (!pair) return;
    await stopServer(pair.server);
    await stopServer(pair.baseline);
  };
  let pair: { server: Served; baseline: Served } | null = await startPair(DB_URL);

  const results: ScenarioResult[] = [];
  const scaleResults: ScenarioResult[] = [];
  const pgbench: Partial<Record<Kind, PgbenchResult>> = {};
  const scalePgbench: Partial<Record<Kind, PgbenchResult>> = {};
  const poolerResults: ScenarioResult[] = [];
  const ingestScaleResults: ScenarioResult[] = [];
  const ingestScalePgbench: Partial<Record<Kind, PgbenchResult>> = {};
  let soak: SoakResult | null = null;
  const scripts = pgbenchScripts({
    partnerId: pools.partners[0]!.id,
    getPool: 'get-e',
    getCount: GET_ENROLLMENTS,
    insertPromotions: 100,
    insertAccounts: 5_000,
    updatePool: 'pgb-del-e',
    updateCount: 10_000,
    ingestBatch: INGEST_BATCH,
    ingestAccounts: INGEST_ACCOUNTS,
  });
  try {
    const pass = async (kinds: readonly Kind[], which: Pass, into: ScenarioResult[]) => {
      const { server, baseline } = pair!;
      for (const kind of kinds) {
        if (kind === 'post_webhook') await subscribe(pools.partners[0]!.id, true);
        const rows = kind === 'ingest' ? `${SCALE_LEDGER_ROWS} ledger rows` : `${SCALE_ROWS} rows`;
        const name = `${kind}${which === 'scale' ? ` (${rows})` : which === 'pooler' ? ' (PgBouncer)' : ''}`;
        log(`${name}: ${kind === 'entitlements' ? "server's GET /v2/promotions" : 'baseline'}`);
        await settle(`${name} baseline`);
        // CONTRACT §12's entitlement check is held to the same server's GET /v2/promotions/{id}.
        const base =
          kind === 'entitlements'
            ? await drive(server, serverRequests('get', pools, which), 'get', SERVER_COUNTER_PORT)
            : await drive(baseline, baselineRequests(kind, pools, which), kind, BASELINE_COUNTER_PORT);
        log(`${name}: server`);
        await settle(`${name} server`);
        const real = await drive(server, serverRequests(kind, pools, which), kind, SERVER_COUNTER_PORT);
        into.push({ kind, server: real, baseline: base });
        if (kind === 'post_webhook') await subscribe(pools.partners[0]!.id, false);
        const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
        const costs = (r: LoadResult & { peakRssBytes: number; startRssBytes: number }) =>
          `RSS ${mb(r.startRssBytes)} → peak ${mb(r.peakRssBytes)} MB, CPU ${r.costs.processCpuMsPerRequest.toFixed(2)} ms/req, PostgreSQL ${r.costs.postgresCpuMsPerRequest.toFixed(2)} ms/req, ` +
          `${r.costs.roundTripsPerRequest?.toFixed(2) ?? '?'} round trips/req`;
        log(
          `  server ${real.requestsPerSec.toFixed(0)} req/s p99 ${real.latency.p99} ms, ${costs(real)}; ` +
            `baseline ${base.requestsPerSec.toFixed(0)} req/s p99 ${base.latency.p99} ms, ${costs(base)}`,
        );
      }
    };
    const ceiling = async (kinds: readonly Kind[], into: Partial<Record<Kind, PgbenchResult>>) => {
      for (const kind of kinds) {
        if (kind === 'mix' || kind === 'post_webhook' || kind === 'entitlements') continue;
        log(`pgbench ${kind}`);
        await settle(`pgbench ${kind}`);
        // ingest: one transaction inserts a batch of 500 rows, 8 clients as 8 concurrent batches.
        const clients = kind === 'ingest' ? INGEST_CONNECTIONS : CONNECTIONS;
        into[kind] = await runPgbench(DB_URL, scripts[kind], clients, DURATION);
      }
    };

    await pass(SCENARIOS, 'small', results);
    if (PGBENCH) await ceiling(SCENARIOS, pgbench);

    // The 1M-row pass comes before the soak, so the large table differs from the small one
    // by the seeded rows only, not also by the ~300,000 the soak writes.
    const scaleKinds = SCENARIOS.filter((k) => k === 'get' || k === 'post');
    if (SCALE && scaleKinds.length > 0) {
      log(`seeding ${SCALE_ROWS} enrollments`);
      const started = Date.now();
      const seeder = await BulkSeeder.open(DB_URL, pools.partners[0]!.id);
      await seeder.scale(SCALE_ROWS);
      await seeder.analyze();
      await seeder.close();
      log(`  seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      await stopPair(pair);
      pair = null;
      pair = await startPair(DB_URL);
      await pass(scaleKinds, 'scale', scaleResults);
      if (PGBENCH) await ceiling(scaleKinds, scalePgbench);
    }

    // CONTRACT §12 at scale: ingest again once the usage ledger holds SCALE_LEDGER_ROWS rows
    // (one INSERT … SELECT generate_series over the metered enrollments, this month's partition).
    if (SCALE && SCENARIOS.includes('ingest')) {
      log(`seeding ${SCALE_LEDGER_ROWS} usage ledger rows`);
      const started = Date.now();
      const seeder = await BulkSeeder.open(DB_URL, pools.partners[0]!.id);
      await seeder.ledger(SCALE_LEDGER_ROWS, 2 * INGEST_ACCOUNTS);
      await seeder.analyze();
      await seeder.close();
      log(`  seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      await stopPair(pair);
      pair = null;
      pair = await startPair(DB_URL);
      await pass(['ingest'], 'scale', ingestScaleResults);
      if (PGBENCH) await ceiling(['ingest'], ingestScalePgbench);
    }

    // Through a transaction pooler (CONTRACT §1, "Behind PgBouncer"): both servers connect to
    // PgBouncer in transaction mode, the server with unnamed statements only. On whatever table
    // the passes before left (1M rows when BENCH_SCALE=1): compare with the run of that table.
    const poolerKinds = SCENARIOS.filter((k) => k === 'get' || k === 'post');
    if (POOLER && poolerKinds.length > 0) {
      log(`PgBouncer (transaction mode) on 127.0.0.1:${POOLER_PORT}`);
      execFileSync('bash', [join(ROOT, 'scripts', 'pgbouncer.sh'), 'start', String(POOLER_PORT)], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, PGBOUNCER_DIR: `/tmp/promotions-bench-pgbouncer-${POOLER_PORT}` },
      });
      try {
        const viaPooler = new URL(DB_URL);
        viaPooler.host = `127.0.0.1:${POOLER_PORT}`;
        await stopPair(pair);
        pair = null;
        pair = await startPair(viaPooler.href, { DATABASE_PREPARED_STATEMENTS: 'false' });
        await pass(poolerKinds, 'pooler', poolerResults);
        await stopPair(pair);
        pair = null;
      } finally {
        execFileSync('bash', [join(ROOT, 'scripts', 'pgbouncer.sh'), 'stop', String(POOLER_PORT)], {
          stdio: 'inherit',
          env: { ...process.env, PGBOUNCER_DIR: `/tmp/promotions-bench-pgbouncer-${POOLER_PORT}` },
        });
      }
      pair = await startPair(DB_URL);
    }

    if (SOAK > 0) {
      log(`soak: mix 80/15/5 for ${SOAK} s against the server, RSS every second`);
      await settle('soak');
      const run = await drive(
        pair!.server,
        serverRequests('soak', pools, 'small'),
        'soak',
        SERVER_COUNTER_PORT,
        {
          duration: SOAK,
          warmup: 0,
        },
      );
      soak = { seconds: SOAK, run, ...soakGrowth(run.rssSamples ?? []) };
      log(
        `  ${run.requestsPerSec.toFixed(0)} req/s, peak RSS ${(soak.peakRssBytes / 1024 / 1024).toFixed(0)} MB, ` +
          `growth ${(soak.growth * 100).toFixed(1)}%`,
      );
    }
  } finally {
    await stopPair(pair);
  }

  const starved = starvation(info, [...results, ...scaleResults, ...poolerResults, ...ingestScaleResults]);
  const report = {
    machine: info,
    results,
    pgbench,
    scale: SCALE ? { rows: SCALE_ROWS, results: scaleResults, pgbench: scalePgbench } : null,
    pooler: POOLER ? { rows: SCALE ? SCALE_ROWS : null, results: poolerResults } : null,
    ingest: {
      batch: INGEST_BATCH,
      accounts: INGEST_ACCOUNTS,
      connections: INGEST_CONNECTIONS,
      scale:
        SCALE && SCENARIOS.includes('ingest')
          ? { rows: SCALE_LEDGER_ROWS, results: ingestScaleResults, pgbench: ingestScalePgbench }
          : null,
    },
    soak,
    starved: {
      reasons: starved,
      forced: starved.length > 0 && FORCE,
      maxLoad: MAX_LOAD,
      maxBaselineP99Ms: MAX_BASELINE_P99_MS,
      maxSpeedSpread: MAX_SPEED_SPREAD,
    },
    calibration,
  };
  const markdown = renderMarkdown(report);
  process.stdout.write(`${markdown}\n`);
  if (starved.length > 0 && !FORCE) {
    log(
      `machine starved, not writing bench/results/latest.*: ${starved.join('; ')} (BENCH_FORCE=1 writes anyway)`,
    );
    process.exitCode = 3;
    return;
  }
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.md'), `${markdown}\n`);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(
    `wrote bench/results/latest.md and latest.json${starved.length > 0 ? ' (forced on a starved machine)' : ''}`,
  );
}

/** Why this run's figures describe a starved machine; empty when they do not. */
function starvation(info: Machine, all: ScenarioResult[]): string[] {
  const reasons: string[] = [];
  const load = info.loadAverage[0]!;
  if (load > MAX_LOAD) reasons.push(`1-minute load average ${load.toFixed(2)} > ${MAX_LOAD} at start`);
  for (const r of all) {
    // A batch of 500 rows, or the server's own GET: not the bare single-statement baseline meant here.
    if (r.kind === 'ingest' || r.kind === 'entitlements') continue;
    if (r.baseline.latency.p99 > MAX_BASELINE_P99_MS) {
      reasons.push(`baseline p99 ${r.baseline.latency.p99} ms > ${MAX_BASELINE_P99_MS} ms (${r.kind})`);
    }
  }
  const times = calibration.map((c) => c.ms);
  if (times.length > 1 && Math.max(...times) / Math.min(...times) > MAX_SPEED_SPREAD) {
    const slowest = calibration.reduce((a, b) => (b.ms > a.ms ? b : a));
    const fastest = calibration.reduce((a, b) => (b.ms < a.ms ? b : a));
    reasons.push(
      `the machine's speed varied: calibration ${fastest.ms.toFixed(0)} ms (${fastest.run}) to ` +
        `${slowest.ms.toFixed(0)} ms (${slowest.run}), more than ${MAX_SPEED_SPREAD}× apart`,
    );
  }
  return reasons;
}

await main();
