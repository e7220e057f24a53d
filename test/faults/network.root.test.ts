import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../helpers/processes.js';
import { createTestNetwork, Relay, type TestNetwork } from './network.js';

// Faults on the wire between the server and its databases (docs/RELIABILITY.md, "Faults on
// the wire"). The server runs in a network namespace this file makes; PostgreSQL and Redis
// (the machine's, at 127.0.0.1) are reached through relays on the other end of a veth pair,
// so every database packet crosses the veth, where nftables rules drop them (loss, partition)
// and the PostgreSQL relay holds them back (latency). The server runs with its default
// database and HTTP timeouts: what is tested is what ships. Root only: `npm run test:faults`.
const ADMIN = 'faults-admin-token-0123456789abcdef';
const PG_ROOT = process.env.FAULTS_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PG_TARGET = new URL(PG_ROOT);
const REDIS_TARGET = { host: '127.0.0.1', port: 6379 };
const SERVER_PORT = 3000;

// The bounds this test holds the server to (README, configuration; CONTRACT §7).
/**
 * An answer during a partition: the pool's wait (DB_CONNECT_TIMEOUT_MS, 2 s), one statement
 * that never answers (DB_QUERY_TIMEOUT_MS, 6 s), the in-doubt check (DB_IN_DOUBT_TIMEOUT_MS,
 * 3 s) and giving an Idempotency-Key back (a new connection's 2 s): 13 s (CONTRACT §7), plus
 * 1 s of slack.
 */
const PARTITION_ANSWER_BOUND_MS = 14_000;
/** /readyz: READINESS_TIMEOUT_MS (1 s) plus 1 s of slack. */
const READYZ_BOUND_MS = 2_000;
/** Full service this soon after the heal. */
const RECOVERY_BOUND_MS = 5_000;

let net: TestNetwork;
let pgRelay: Relay;
let redisRelay: Relay;
let receiver: Server;
let receiverPort: number;
const received: string[] = [];
let server: ChildProcess | undefined;
let serverOutput = '';
let dbName: string;
let dbUrl: string;
let base: string;
let promotionId: string;
let appToken: string;
const usageTargets: string[] = [];
let users: Array<{ accountId: string; token: string }> = [];

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = [], url = dbUrl) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, string>;
}

type Kind = 'enroll' | 'usage' | 'read';
interface Outcome {
  kind: Kind;
  /** The account (enroll) or the usage idempotency key. */
  ref: string;
  key: string;
  token?: string;
  target?: string;
  status: number | 'no-answer';
  retryAfter: string | null;
  rateLimitHeaders: boolean;
  sentAt: number;
  ms: number;
  body: Record<string, unknown>;
}

async function request(
  kind: Kind,
  url: string,
  init: RequestInit,
  meta: { ref: string; key: string; token?: string; target?: string },
): Promise<Outcome> {
  const sentAt = Date.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    return {
      kind,
      ...meta,
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      rateLimitHeaders: res.headers.has('x-ratelimit-limit') && res.headers.has('x-ratelimit-remaining'),
      sentAt,
      ms: Date.now() - sentAt,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  } catch {
    return {
      kind,
      ...meta,
      status: 'no-answer',
      retryAfter: null,
      rateLimitHeaders: false,
      sentAt,
      ms: Date.now() - sentAt,
      body: {},
    };
  }
}

const enroll = (user: { accountId: string; token: string }, key: string = randomUUID()) =>
  request(
    'enroll',
    `${base}/v2/promotions`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${user.token}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ promotion_id: promotionId }),
    },
    { ref: user.accountId, key, token: user.token },
  );

const useTasks = (target: string, key: string = randomUUID()) =>
  request(
    'usage',
    `${base}/admin/v1/enrollments/${encodeURIComponent(target)}/usage`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tasks: 1, idempotency_key: key }),
    },
    { ref: key, key, target },
  );

const read = (target: string) =>
  request(
    'read',
    `${base}/v2/promotions/${encodeURIComponent(target)}`,
    { headers: { authorization: `Bearer ${appToken}` } },
    { ref: target, key: '' },
  );

let nextUser = 0;
/** Each worker's pause between two requests: the load is bounded (≤ 5 requests/s per worker). */
const PACE_MS = 200;
/** `workers` loops of enroll, usage, read in turn until `until()`: a bounded load. */
async function load(workers: number, until: () => boolean): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let turn = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!until()) {
        const t = turn++;
        // Consecutive usage calls go to different enrollments, so they do not queue on one counter's lock.
        const target = usageTargets[Math.floor(t / 3) % usageTargets.length]!;
        const kind = (['enroll', 'usage', 'read'] as const)[t % 3]!;
        if (kind === 'enroll') {
          const user = users[nextUser++];
          if (!user) throw new Error('out of prepared accounts');
          outcomes.push(await enroll(user));
        } else if (kind === 'usage') {
          outcomes.push(await useTasks(target));
        } else {
          outcomes.push(await read(target));
        }
        await sleep(PACE_MS);
      }
    }),
  );
  return outcomes;
}

const OK: Record<Kind, number> = { enroll: 201, usage: 200, read: 200 };
const is2xx = (o: Outcome) => o.status === OK[o.kind];
const is503 = (o: Outcome) => o.status === 503;

/** What the database holds for these outcomes' enrollments and usage keys. */
async function databaseCounts(outcomes: Outcome[]) {
  const accounts = outcomes.filter((o) => o.kind === 'enroll').map((o) => o.ref);
  const keys = outcomes.filter((o) => o.kind === 'usage').map((o) => o.key);
  const [enrolled] = await sql<{ n: string; accounts: string }>(
    'select count(*) as n, count(distinct account_id) as accounts from enrollments where promotion_id = $1 and account_id = any($2::uuid[])',
    [promotionId, accounts],
  );
  const [usage] = await sql<{ n: string; keys: string; tasks: string | null }>(
    'select count(*) as n, count(distinct idempotency_key) as keys, sum(tasks_accepted) as tasks from usage_ledger where idempotency_key = any($1::text[])',
    [keys],
  );
  return {
    enrollments: Number(enrolled!.n),
    enrolledAccounts: Number(enrolled!.accounts),
    usageRows: Number(usage!.n),
    usageKeys: Number(usage!.keys),
    usageTasks: Number(usage!.tasks ?? 0),
  };
}

/** sent / 2xx / 503 per kind, and the database's own counts, as one line for the run's log. */
function report(name: string, outcomes: Outcome[], db: Awaited<ReturnType<typeof databaseCounts>>) {
  const pct = (of: Outcome[], p: number) => {
    const ms = of.map((o) => o.ms).sort((a, b) => a - b);
    return ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] ?? 0;
  };
  const per = (kind: Kind) => {
    const of = outcomes.filter((o) => o.kind === kind);
    return `${kind} ${of.length} sent, ${of.filter(is2xx).length} × 2xx, ${of.filter(is503).length} × 503 (p50 ${pct(of, 50)} ms, p99 ${pct(of, 99)} ms)`;
  };
  process.stdout.write(
    `faults: ${name}: ${per('enroll')}; ${per('usage')}; ${per('read')}; all p99 ${pct(outcomes, 99)} ms, max ${pct(outcomes, 100)} ms; database: ${db.enrollments} enrollments, ${db.usageRows} usage rows (${db.usageTasks} tasks)\n`,
  );
}

/** Every outcome is the documented success or a 503 with Retry-After; nothing else. */
function expectOnly2xxOr503(outcomes: Outcome[]) {
  const other = outcomes.filter((o) => !is2xx(o) && !is503(o));
  expect(other.map((o) => `${o.kind} ${o.status} ${JSON.stringify(o.body)}`)).toEqual([]);
  for (const o of outcomes.filter(is503)) {
    expect(o.retryAfter).toMatch(/^\d+$/);
    expect((o.body.errors as Array<{ code: string }>)[0]!.code).toBe('service_unavailable');
  }
}

/**
 * Nothing lost, nothing applied twice: every 2xx is in the database; the database holds no
 * more than the 2xx plus the 503s (a 503 may be a commit whose answer was lost: an in-doubt
 * change, logged); then every 503 retried as a client does (same Idempotency-Key, same usage
 * key) succeeds, and each enrollment and each usage key exists exactly once.
 */
async function expectNothingLostNothingTwice(outcomes: Outcome[], landedAfter503 = 0) {
  const enrolls = outcomes.filter((o) => o.kind === 'enroll');
  const usage = outcomes.filter((o) => o.kind === 'usage');
  const before = await databaseCounts(outcomes);
  expect(before.enrollments).toBe(before.enrolledAccounts);
  expect(before.usageRows).toBe(before.usageKeys);
  // The database's own count agrees with the answers: the 2xx, plus the in-doubt commits
  // the server logged as landed after answering 503.
  expect(before.enrollments).toBe(enrolls.filter(is2xx).length + landedAfter503);
  expect(before.usageRows).toBeGreaterThanOrEqual(usage.filter(is2xx).length);
  expect(before.usageRows).toBeLessThanOrEqual(usage.filter(is2xx).length + usage.filter(is503).length);
  expect(before.usageTasks).toBe(before.usageRows);

  for (const o of outcomes.filter((x) => !is2xx(x) && x.kind !== 'read')) {
    let retry: Outcome;
    // A key still held by the failed attempt answers 409 idempotency_key_in_use until its
    // claim lapses: retried, as documented.
    for (let i = 0; ; i++) {
      retry =
        o.kind === 'enroll'
          ? await enroll({ accountId: o.ref, token: o.token! }, o.key)
          : await useTasks(o.target!, o.key);
      if (retry.status !== 409 || i > 30) break;
      await sleep(1_500);
    }
    expect(`${o.kind} ${retry.status}`).toBe(`${o.kind} ${OK[o.kind]}`);
  }
  const after = await databaseCounts(outcomes);
  expect(after.enrollments).toBe(enrolls.length);
  expect(after.enrolledAccounts).toBe(enrolls.length);
  expect(after.usageRows).toBe(usage.length);
  expect(after.usageKeys).toBe(usage.length);
  expect(after.usageTasks).toBe(usage.length);
  return before;
}

/** Every enrollment these outcomes made reached the webhook receiver, within `ms`. */
async function expectWebhooksDelivered(outcomes: Outcome[], ms = 30_000) {
  const accounts = outcomes.filter((o) => o.kind === 'enroll').map((o) => o.ref);
  const rows = await sql<{ id: string }>(
    'select id from enrollments where promotion_id = $1 and account_id = any($2::uuid[])',
    [promotionId, accounts],
  );
  const until = Date.now() + ms;
  let missing = rows.map((r) => r.id);
  while (missing.length > 0 && Date.now() < until) {
    const all = received.join('\n');
    missing = missing.filter((id) => !all.includes(id));
    if (missing.length > 0) await sleep(250);
  }
  expect(missing).toEqual([]);
}

/** The server's log lines about in-doubt changes since `from` (an offset in its output). */
function inDoubtLines(from: number) {
  return serverOutput
    .slice(from)
    .split('\n')
    .filter((l) => l.includes('"in_doubt"'))
    .map((l) => JSON.parse(l) as { in_doubt: string; msg: string });
}

async function waitReady(ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const status = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(100);
  }
  throw new Error(`the server did not become ready; output:\n${serverOutput}`);
}

beforeAll(async () => {
  net = createTestNetwork();
  pgRelay = new Relay({ host: PG_TARGET.hostname, port: Number(PG_TARGET.port || 5432) });
  redisRelay = new Relay(REDIS_TARGET);
  await pgRelay.listen(net.hostAddr);
  await redisRelay.listen(net.hostAddr);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      received.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, net.hostAddr, () => r()));
  receiverPort = (receiver.address() as { port: number }).port;

  dbName = `faults_${process.pid}_${Date.now()}`;
  await sql(`create database ${dbName}`, [], PG_ROOT);
  const dbTarget = new URL(PG_ROOT);
  dbTarget.pathname = `/${dbName}`;
  dbUrl = dbTarget.toString();
  const viaRelay = new URL(dbUrl);
  viaRelay.hostname = net.hostAddr;
  viaRelay.port = String(pgRelay.port);

  base = `http://${net.nsAddr}:${SERVER_PORT}`;
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'TEST_DB', 'REDIS_URL'].includes(k)),
  );
  server = spawn('ip', ['netns', 'exec', net.ns, process.execPath, '--import', 'tsx', 'src/server.ts'], {
    env: {
      ...inherited,
      HOST: net.nsAddr,
      PORT: String(SERVER_PORT),
      PUBLIC_URL: base,
      DATABASE_URL: viaRelay.toString(),
      REDIS_URL: `redis://${net.hostAddr}:${redisRelay.port}`,
      REDIS_KEY_PREFIX: `${dbName}:`,
      ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_HOUR: '10000000',
      RATE_LIMIT_IP_PER_HOUR: '10000000',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      // Load shedding is not what this file tests: on a busy CI machine an event-loop stall
      // would shed requests as "overloaded" (test/ops/overload.test.ts covers that).
      MAX_EVENT_LOOP_DELAY_MS: '0',
      WEBHOOK_RETRY_SCHEDULE_SECONDS: Array.from({ length: 40 }, () => '1').join(','),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Should the test process die without its afterAll, the server dies with it.
  process.once('exit', () => server?.kill('SIGKILL'));
  server.stdout!.on('data', (d) => {
    serverOutput += d;
  });
  server.stderr!.on('data', (d) => {
    serverOutput += d;
  });
  await waitReady(90_000);

  const partner = await admin('POST', '/partners', {
    name: 'Faults on the wire',
    redirect_uris: ['http://127.0.0.1:4000/callback'],
  });
  promotionId = `wire_${Date.now()}`;
  await admin('POST', '/promotions', { id: promotionId, partner_id: partner.id, name: 'Wire faults' });
  await admin('POST', `/partners/${partner.id}/webhook_endpoints`, {
    url: `http://${net.hostAddr}:${receiverPort}/hook`,
    event_types: ['enrollment.created'],
  });
  appToken = (
    await admin('POST', '/tokens', {
      client_id: partner.client_id,
      scope: 'promotions:read promotions:write',
    })
  ).access_token!;
  // Accounts straight in SQL (no password hashing), tokens through the admin API.
  const ids = Array.from({ length: 1_000 }, () => randomUUID());
  await sql(
    `insert into accounts (id, email, password_hash) select id, 'w-' || id || '@example.com', 'x' from unnest($1::uuid[]) as id`,
    [ids],
  );
  users = [];
  for (let i = 0; i < ids.length; i += 25) {
    users.push(
      ...(await Promise.all(
        ids.slice(i, i + 25).map(async (accountId) => ({
          accountId,
          token: (
            await admin('POST', '/tokens', {
              client_id: partner.client_id,
              account_id: accountId,
              scope: 'promotions:read promotions:write',
            })
          ).access_token!,
        })),
      )),
    );
  }
  // Enrollments the usage calls and reads go to.
  for (let i = 0; i < 6; i++) {
    const o = await enroll(users[nextUser++]!);
    expect(o.status).toBe(201);
    usageTargets.push(o.body.enrollment_id as string);
  }
}, 240_000);

/** Each step of the clean-up runs whatever the others did; the first failure is thrown last. */
afterAll(async () => {
  const failures: unknown[] = [];
  const step = async (fn: () => unknown) => {
    try {
      await fn();
    } catch (err) {
      failures.push(err);
    }
  };
  await step(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGKILL');
      await exited;
    }
  });
  await step(() => pgRelay?.close());
  await step(() => redisRelay?.close());
  await step(() => new Promise((r) => (receiver ? receiver.close(r) : r(undefined))));
  await step(() => net?.destroy());
  await step(() => dbName && sql(`drop database if exists ${dbName} with (force)`, [], PG_ROOT));
  if (failures.length > 0) throw failures[0];
}, 60_000);

describe('faults on the wire (PostgreSQL and Redis behind a veth)', { timeout: 300_000 }, () => {
  it('200 ms ± 50 of latency to PostgreSQL: every answer correct, no pool starvation', async () => {
    pgRelay.delay = { ms: 200, jitter: 50 };
    const until = Date.now() + 12_000;
    const outcomes = await load(6, () => Date.now() > until);
    pgRelay.delay = null;
    // No 503 at all: six concurrent requests never wait past the pool's bound for a connection.
    expect(outcomes.filter((o) => !is2xx(o)).map((o) => `${o.kind} ${o.status}`)).toEqual([]);
    for (const o of outcomes.filter((x) => x.kind === 'read')) {
      expect(o.body).toMatchObject({ enrollment_id: o.ref, promotion_id: promotionId });
    }
    const db = await expectNothingLostNothingTwice(outcomes);
    report('latency 200 ms ± 50', outcomes, db);
    await expectWebhooksDelivered(outcomes);
  });

  it('5% packet loss to PostgreSQL: only 2xx or 503 with Retry-After, nothing lost, nothing twice', async () => {
    const mark = serverOutput.length;
    net.drop([pgRelay.port], { percent: 5 });
    let outcomes: Outcome[];
    try {
      const until = Date.now() + 15_000;
      outcomes = await load(6, () => Date.now() > until);
    } finally {
      net.heal();
    }
    expectOnly2xxOr503(outcomes);
    const landed = inDoubtLines(mark).filter((l) => l.in_doubt === 'landed').length;
    await waitReady();
    const db = await expectNothingLostNothingTwice(outcomes, landed);
    report('5% packet loss', outcomes, db);
    await expectWebhooksDelivered(outcomes);
  });

  it('a 20 s partition from PostgreSQL: fails fast, /readyz 503, full service within 5 s of the heal, nothing lost', async () => {
    const mark = serverOutput.length;
    let partitionedAt = 0;
    let healedAt = 0;
    const probes: Array<{ sentAt: number; ms: number; status: number }> = [];
    let loadDone = false;
    const prober = (async () => {
      while (!loadDone) {
        const sentAt = Date.now();
        const status = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(30_000) }).then(
          (r) => r.status,
          () => 0,
        );
        probes.push({ sentAt, ms: Date.now() - sentAt, status });
        await sleep(250);
      }
    })();
    const fault = (async () => {
      await sleep(3_000);
      net.drop([pgRelay.port], 'all');
      partitionedAt = Date.now();
      await sleep(20_000);
      net.heal();
      healedAt = Date.now();
    })();
    let outcomes: Outcome[];
    try {
      outcomes = await load(6, () => healedAt > 0 && Date.now() > healedAt + 10_000);
    } finally {
      await fault;
      loadDone = true;
      await prober;
    }

    expectOnly2xxOr503(outcomes);
    // Fails fast: every request answered within the bound, however the partition caught it.
    const slow = outcomes.filter((o) => o.ms > PARTITION_ANSWER_BOUND_MS);
    expect(slow.map((o) => `${o.kind} ${o.status} after ${o.ms} ms`)).toEqual([]);
    const during = outcomes.filter((o) => o.sentAt >= partitionedAt + 1_000 && o.sentAt < healedAt);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter(is503).length).toBeGreaterThan(0);
    // /readyz: 503 within its bound once the partition is a second old, throughout.
    const probesDuring = probes.filter(
      (p) => p.sentAt >= partitionedAt + 1_000 && p.sentAt + p.ms < healedAt,
    );
    expect(probesDuring.length).toBeGreaterThan(5);
    for (const p of probesDuring) {
      expect(p.status).toBe(503);
      expect(p.ms).toBeLessThan(READYZ_BOUND_MS);
    }
    // Full service within 5 s of the heal: everything sent after that succeeded.
    const afterHeal = outcomes.filter((o) => o.sentAt >= healedAt + RECOVERY_BOUND_MS);
    expect(afterHeal.length).toBeGreaterThan(0);
    expect(afterHeal.filter((o) => !is2xx(o)).map((o) => `${o.kind} ${o.status}`)).toEqual([]);
    const probesAfter = probes.filter((p) => p.sentAt >= healedAt + RECOVERY_BOUND_MS);
    expect(probesAfter.length).toBeGreaterThan(0);
    expect(probesAfter.every((p) => p.status === 200)).toBe(true);

    // No in-doubt change left unresolved: each the server answered 503 for is resolved in its
    // log once the database answers again (landed or not), none "unknown".
    const until = Date.now() + 15_000;
    let lines = inDoubtLines(mark);
    while (
      lines.filter((l) => l.in_doubt === 'pending').length >
        lines.filter((l) => l.in_doubt !== 'pending').length &&
      Date.now() < until
    ) {
      await sleep(250);
      lines = inDoubtLines(mark);
    }
    const pending = lines.filter((l) => l.in_doubt === 'pending').length;
    const resolved = lines.filter((l) => l.in_doubt === 'landed' || l.in_doubt === 'not_landed');
    expect(resolved.length).toBe(pending);
    expect(lines.filter((l) => l.in_doubt === 'unknown')).toEqual([]);
    const landed = resolved.filter((l) => l.in_doubt === 'landed').length;

    const db = await expectNothingLostNothingTwice(outcomes, landed);
    report(
      `partition 20 s (answers within ${Math.max(...outcomes.map((o) => o.ms))} ms, /readyz 503 within ${Math.max(...probesDuring.map((p) => p.ms))} ms, ${pending} in-doubt resolved after the heal, ${landed} landed)`,
      outcomes,
      db,
    );
    // Webhooks of every enrollment, including those made just before the partition, after the heal.
    await expectWebhooksDelivered(outcomes);
  });

  it('Redis partitioned: the API keeps answering, rate limits fall back to in-process counters', async () => {
    const mark = serverOutput.length;
    net.drop([redisRelay.port], 'all');
    let outcomes: Outcome[];
    try {
      const until = Date.now() + 8_000;
      outcomes = await load(6, () => Date.now() > until);
    } finally {
      net.heal();
    }
    expect(outcomes.filter((o) => !is2xx(o)).map((o) => `${o.kind} ${o.status}`)).toEqual([]);
    // Still limited (CONTRACT §4): each partner answer carries its counter, now the instance's own.
    for (const o of outcomes.filter((x) => x.kind !== 'usage')) expect(o.rateLimitHeaders).toBe(true);
    expect(serverOutput.slice(mark)).toContain(
      'Redis is unreachable: rate limits fall back to in-process counters',
    );
    const db = await expectNothingLostNothingTwice(outcomes);
    report('Redis partitioned', outcomes, db);
  });
});
