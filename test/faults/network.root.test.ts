import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../helpers/processes.js';
import { is2xx, is503, loadOn, type Outcome, type Target } from './load.js';
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
let server: ChildProcess | undefined;
let serverOutput = '';
let dbName: string;
/** The server under test: its origin, database and fixtures are set in beforeAll. */
const t: Target = {
  base: '',
  dbUrl: '',
  adminToken: ADMIN,
  promotionId: '',
  appToken: '',
  users: [],
  usageTargets: [],
  received: [],
};
const {
  sql,
  admin,
  enroll,
  takeUser,
  load,
  report,
  expectOnly2xxOr503,
  expectNothingLostNothingTwice,
  expectWebhooksDelivered,
} = loadOn(t);

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
    const status = await fetch(`${t.base}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
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
      t.received.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, net.hostAddr, () => r()));
  receiverPort = (receiver.address() as { port: number }).port;

  dbName = `faults_${process.pid}_${Date.now()}`;
  await sql(`create database ${dbName}`, [], PG_ROOT);
  const dbTarget = new URL(PG_ROOT);
  dbTarget.pathname = `/${dbName}`;
  t.dbUrl = dbTarget.toString();
  const viaRelay = new URL(t.dbUrl);
  viaRelay.hostname = net.hostAddr;
  viaRelay.port = String(pgRelay.port);

  t.base = `http://${net.nsAddr}:${SERVER_PORT}`;
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'TEST_DB', 'REDIS_URL'].includes(k)),
  );
  server = spawn('ip', ['netns', 'exec', net.ns, process.execPath, '--import', 'tsx', 'src/server.ts'], {
    env: {
      ...inherited,
      HOST: net.nsAddr,
      PORT: String(SERVER_PORT),
      PUBLIC_URL: t.base,
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
  t.promotionId = `wire_${Date.now()}`;
  await admin('POST', '/promotions', { id: t.promotionId, partner_id: partner.id, name: 'Wire faults' });
  await admin('POST', `/partners/${partner.id}/webhook_endpoints`, {
    url: `http://${net.hostAddr}:${receiverPort}/hook`,
    event_types: ['enrollment.created'],
  });
  t.appToken = (
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
  for (let i = 0; i < ids.length; i += 25) {
    t.users.push(
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
    const o = await enroll(takeUser());
    expect(o.status).toBe(201);
    t.usageTargets.push(o.body.enrollment_id as string);
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
      expect(o.body).toMatchObject({ enrollment_id: o.ref, promotion_id: t.promotionId });
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
        const status = await fetch(`${t.base}/readyz`, { signal: AbortSignal.timeout(30_000) }).then(
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
