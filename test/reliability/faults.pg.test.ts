import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  type PostgresCluster,
  type ServerProcess,
  sleep,
  startPostgresCluster,
  startServer,
} from '../helpers/processes.js';

// Faults on a PostgreSQL cluster and server processes owned by this file alone.
const ADMIN = 'fault-admin-token-0123456789abcdef';
let cluster: PostgresCluster;
let server: ServerProcess;
let port: number;
let promotionId: string;
let appToken: string;
let clientId: string;

const env = () => ({
  DATABASE_URL: cluster.url,
  PORT: String(port),
  ADMIN_TOKEN: ADMIN,
  DB_POOL_MAX: '5',
  RATE_LIMIT_PER_HOUR: '10000000',
  RATE_LIMIT_IP_PER_HOUR: '10000000',
  LOG_LEVEL: 'warn',
});

async function admin(path: string, body: unknown) {
  const res = await fetch(`${server.url}/admin/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, string>;
}

/** Accounts straight in SQL (no consent login here, so no slow password hash), tokens through the admin API. */
async function usersWithTokens(n: number): Promise<Array<{ accountId: string; token: string }>> {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  const ids = Array.from({ length: n }, () => randomUUID());
  await client.query(
    `insert into accounts (id, email, password_hash) select id, 'f-' || id || '@example.com', 'x' from unnest($1::uuid[]) as id`,
    [ids],
  );
  await client.end();
  return Promise.all(
    ids.map(async (accountId) => ({
      accountId,
      token: (
        await admin('/tokens', {
          client_id: clientId,
          account_id: accountId,
          scope: 'promotions:read promotions:write',
        })
      ).access_token!,
    })),
  );
}

type Outcome = {
  accountId: string;
  status: number | 'socket-error';
  retryAfter?: string | null;
  enrollmentId?: string;
};

async function enroll(user: { accountId: string; token: string }): Promise<Outcome> {
  try {
    const res = await fetch(`${server.url}/v2/promotions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ promotion_id: promotionId }),
    });
    const body = (await res.json()) as { enrollment_id?: string };
    return {
      accountId: user.accountId,
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      enrollmentId: body.enrollment_id,
    };
  } catch {
    return { accountId: user.accountId, status: 'socket-error' };
  }
}

/**
 * `workers` parallel loops, each enrolling the next unused account until `until()` says stop;
 * `answered` counts the answers so far, for a fault that should land mid-stream.
 */
async function stream(
  users: Array<{ accountId: string; token: string }>,
  workers: number,
  until: () => boolean,
  answered: { count: number } = { count: 0 },
) {
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!until() && next < users.length) {
        outcomes.push(await enroll(users[next++]!));
        answered.count++;
      }
    }),
  );
  return outcomes;
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

async function enrollmentAccounts(): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  const { rows } = await client.query<{ account_id: string }>(
    'select account_id from enrollments where promotion_id = $1',
    [promotionId],
  );
  await client.end();
  return new Set(rows.map((r) => r.account_id));
}

beforeAll(async () => {
  cluster = await startPostgresCluster();
  port = await freePort();
  server = startServer(env());
  await server.waitHealthy();
  const partner = await admin('/partners', {
    name: 'Fault Partner',
    redirect_uris: ['http://127.0.0.1:4000/callback'],
  });
  clientId = partner.client_id!;
  promotionId = `fault_${Date.now()}`;
  await admin('/promotions', {
    id: promotionId,
    partner_id: partner.id,
    name: 'Faults',
    task_limit_per_month: 10,
  });
  appToken = (await admin('/tokens', { client_id: clientId, scope: 'promotions:read promotions:write' }))
    .access_token!;
}, 120_000);

afterAll(async () => {
  server?.child.kill('SIGKILL');
  cluster?.destroy();
});

describe('faults', { timeout: 120_000 }, () => {
  it('answers 503 with Retry-After, never 500, while PostgreSQL is down, and recovers by itself', async () => {
    const [spare, ...users] = await usersWithTokens(401);
    // PostgreSQL goes down after the first 100 answers, however fast they come, so that the
    // other 300 meet the outage (a fixed delay let a fast machine finish before it).
    const answered = { count: 0 };
    let killed = false;
    let restarted = 0;
    const killer = (async () => {
      await waitUntil(() => answered.count >= 100);
      cluster.stop('immediate');
      killed = true;
      await sleep(2000);
      cluster.start();
      restarted = Date.now();
    })();
    const outcomes = await stream(users, 8, () => restarted > 0 && Date.now() - restarted > 1000, answered);
    await killer;
    expect(killed).toBe(true);
    const statuses = new Set(outcomes.map((o) => o.status));
    expect([...statuses].every((s) => s === 201 || s === 503)).toBe(true);
    const unavailable = outcomes.filter((o) => o.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const o of unavailable) expect(o.retryAfter).toMatch(/^\d+$/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    // Same process, no restart: it serves again once PostgreSQL is back.
    let ready = 0;
    for (let i = 0; i < 60 && ready !== 200; i++) {
      ready = (await fetch(`${server.url}/readyz`)).status;
      if (ready !== 200) await sleep(250);
    }
    expect(ready).toBe(200);
    process.stdout.write(
      `faults: PostgreSQL killed under load: ${outcomes.length} enrollments tried, ${outcomes.filter((o) => o.status === 201).length} × 201, ${unavailable.length} × 503, 0 × 500\n`,
    );
    // An account the stream never touched, so its enrollment says nothing about the 503s.
    const after = await enroll(spare!);
    expect(after.status).toBe(201);

    // Nothing is lost: every 201 exists, no 503 left an enrollment behind.
    const enrolled = await enrollmentAccounts();
    for (const o of outcomes.filter((x) => x.status === 201)) expect(enrolled.has(o.accountId)).toBe(true);
    for (const o of unavailable) expect(enrolled.has(o.accountId)).toBe(false);
  });

  it('keeps every 201 and nothing that got an error when the server is SIGKILLed mid-stream', async () => {
    const users = await usersWithTokens(300);
    const before = await enrollmentAccounts();
    // Killed after the first 100 answers, so that requests are in flight (not after a fixed delay).
    const answered = { count: 0 };
    let dead = false;
    const killer = (async () => {
      await waitUntil(() => answered.count >= 100);
      server.child.kill('SIGKILL');
      dead = true;
    })();
    const outcomes = await stream(users, 8, () => dead, answered);
    await killer;
    await server.exit;

    server = startServer(env());
    await server.waitHealthy();
    const created = outcomes.filter((o) => o.status === 201);
    expect(created.length).toBeGreaterThan(0);
    for (const o of created) {
      const res = await fetch(`${server.url}/v2/promotions/${o.enrollmentId}`, {
        headers: { authorization: `Bearer ${appToken}` },
      });
      expect(res.status).toBe(200);
    }
    const enrolled = await enrollmentAccounts();
    const failed = outcomes.filter((o) => typeof o.status === 'number' && o.status !== 201);
    for (const o of failed) expect(enrolled.has(o.accountId)).toBe(false);
    // Requests cut off by the kill may or may not have committed; nothing else appeared.
    const inFlight = outcomes.filter((o) => o.status === 'socket-error').length;
    expect(inFlight).toBeGreaterThan(0);
    process.stdout.write(
      `faults: server SIGKILLed: ${created.length} × 201 all kept, ${failed.length} errors none kept, ${inFlight} cut off in flight\n`,
    );
    const added = [...enrolled].filter((a) => !before.has(a)).length;
    expect(added).toBeGreaterThanOrEqual(created.length);
    expect(added).toBeLessThanOrEqual(created.length + inFlight);
  });
});
