import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgres } from '../../src/db/client.js';
import { bearer, createTestApp, type TestContext } from '../helpers/app.js';
import { createTestDatabase, PREPARED_STATEMENTS, type TestDatabase } from '../helpers/database.js';

/** A TCP proxy we can cut and restore: an outage of PostgreSQL or Redis without touching either. */
class Outage {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}

const redisTarget = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const pgTarget = new URL(process.env.DATABASE_URL!);
const pgProxy = new Outage({ host: pgTarget.hostname, port: Number(pgTarget.port || 5432) });
const redisProxy = new Outage({ host: redisTarget.hostname, port: Number(redisTarget.port || 6379) });
const MISSING = '/v2/promotions/p:00000000-0000-4000-8000-000000000000';

let db: TestDatabase;
let ctx: TestContext;
let token: string;

beforeAll(async () => {
  await pgProxy.up();
  await redisProxy.up();
  db = await createTestDatabase();
  // The app reaches the test database and Redis only through the proxies.
  const url = new URL(db.url!);
  url.host = `127.0.0.1:${pgProxy.port}`;
  const viaProxy = await openPostgres({
    url: url.toString(),
    connectionTimeoutMillis: 2_000,
    preparedStatements: PREPARED_STATEMENTS,
  });
  ctx = await createTestApp({
    database: { ...db, database: viaProxy },
    env: {
      REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
      REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
      RATE_LIMIT_PER_HOUR: '1000',
    },
  });
  const partner = await ctx.fixtures.partner();
  token = await ctx.fixtures.appToken(partner.id);
});

afterAll(async () => {
  await ctx?.app.close();
  await ctx?.app.database.close().catch(() => {});
  await db?.drop();
  await pgProxy.down();
  await redisProxy.down();
});

const redisUp = async () =>
  /^redis_up 1$/m.test((await ctx.app.inject({ method: 'GET', url: '/metrics' })).body);

describe('outages and recovery, in the same process', () => {
  it('PostgreSQL down: 503 with Retry-After; back up: served again without a restart', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: MISSING, headers: bearer(token) })).statusCode).toBe(
      404,
    );

    await pgProxy.down();
    const down = await ctx.app.inject({ method: 'GET', url: MISSING, headers: bearer(token) });
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(down.json().errors[0].code).toBe('service_unavailable');
    expect((await ctx.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);

    await pgProxy.up();
    await vi.waitFor(
      async () => {
        const res = await ctx.app.inject({ method: 'GET', url: MISSING, headers: bearer(token) });
        if (res.statusCode !== 404) throw new Error(`still ${res.statusCode}`);
      },
      { timeout: 15_000, interval: 100 },
    );
    expect((await ctx.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('Redis down: served on in-process counters, redis_up 0; back up: reconnects, redis_up 1', async () => {
    await vi.waitFor(async () => expect(await redisUp()).toBe(true), { timeout: 10_000, interval: 50 });
    const before = await ctx.app.inject({ method: 'GET', url: MISSING, headers: bearer(token) });
    expect(before.statusCode).toBe(404);

    await redisProxy.down();
    await vi.waitFor(async () => expect(await redisUp()).toBe(false), { timeout: 10_000, interval: 50 });
    const during = await ctx.app.inject({ method: 'GET', url: MISSING, headers: bearer(token) });
    expect(during.statusCode).toBe(404);
    expect(during.headers['x-ratelimit-limit']).toBe('1000');

    await redisProxy.up();
    await vi.waitFor(async () => expect(await redisUp()).toBe(true), { timeout: 15_000, interval: 100 });
    const after = await ctx.app.inject({ method: 'GET', url: MISSING, headers: bearer(token) });
    expect(after.statusCode).toBe(404);
    // Counting in Redis again: the shared partner counter carries on from before the outage.
    expect(Number(after.headers['x-ratelimit-remaining'])).toBeLessThan(
      Number(before.headers['x-ratelimit-remaining']),
    );
    expect(ctx.violations).toEqual([]);
  });
});
