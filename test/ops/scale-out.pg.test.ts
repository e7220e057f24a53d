import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_TOKEN, bearer, createTestApp, type TestContext } from '../helpers/app.js';

// Two instances behind an imaginary load balancer: one PostgreSQL database, one Redis (the
// machine's, 127.0.0.1:6379, with keys of this run only), each listening on its own port.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const env = {
  REDIS_URL,
  REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
  RATE_LIMIT_PER_HOUR: '20',
  RATE_LIMIT_IP_PER_HOUR: '100000',
};

let a: TestContext;
let b: TestContext;
const base: string[] = [];

async function redisUp(ctx: TestContext): Promise<void> {
  await vi.waitFor(
    async () => {
      const body = (await ctx.app.inject({ method: 'GET', url: '/metrics' })).body;
      if (!/^redis_up 1$/m.test(body)) throw new Error('Redis not connected yet');
    },
    { timeout: 10_000, interval: 50 },
  );
}

beforeAll(async () => {
  a = await createTestApp({ env });
  b = await createTestApp({ env, database: a.db });
  for (const ctx of [a, b]) base.push(await ctx.app.listen({ port: 0, host: '127.0.0.1' }));
  await Promise.all([redisUp(a), redisUp(b)]);
});

afterAll(async () => {
  await b?.app.close();
  await a?.app.close();
  await a?.db.drop();
});

/** Request i goes to instance i % 2, all at once. */
const spread = (count: number, init: (i: number) => { path: string } & RequestInit) =>
  Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { path, ...rest } = init(i);
      const res = await fetch(`${base[i % 2]}${path}`, rest);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    }),
  );

describe('two instances on one PostgreSQL and one Redis', () => {
  it('create exactly one enrollment from concurrent duplicates split across both', async () => {
    const partner = await a.fixtures.partner();
    const account = await a.fixtures.account();
    const token = await a.fixtures.userToken(partner.id, account.id);
    const promotion = await a.fixtures.promotion(partner.id);

    const answers = await spread(12, () => ({
      path: '/v2/promotions',
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ promotion_id: promotion }),
    }));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(11).fill(409)]);
    for (const r of answers.filter((x) => x.status === 409)) {
      expect((r.body.errors as Array<{ code: string }>)[0]!.code).toBe('already_enrolled');
    }
    const promotionRes = await fetch(`${base[1]}/admin/v1/promotions/${promotion}`, {
      headers: bearer(ADMIN_TOKEN),
    });
    expect(((await promotionRes.json()) as { enrollments_count: number }).enrollments_count).toBe(1);
  });

  it('share the partner limit: 20 per hour means exactly 20 successes across both', async () => {
    const partner = await a.fixtures.partner();
    const token = await a.fixtures.appToken(partner.id);
    const answers = await spread(32, () => ({
      path: '/v2/promotions/p:00000000-0000-4000-8000-000000000000',
      headers: bearer(token),
    }));
    const count = (status: number) => answers.filter((r) => r.status === status).length;
    expect(count(404)).toBe(20);
    expect(count(429)).toBe(12);
    expect(answers.filter((r) => r.status === 429)[0]!.body).toMatchObject({
      errors: [{ status: '429', code: 'rate_limited' }],
    });
    // Either instance now answers 429 with the same shared window.
    const [ra, rb] = await Promise.all(
      base.map((url) =>
        fetch(`${url}/v2/promotions/p:00000000-0000-4000-8000-000000000000`, { headers: bearer(token) }),
      ),
    );
    expect([ra!.status, rb!.status]).toEqual([429, 429]);
    expect(ra!.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(ra!.headers.get('x-ratelimit-reset')).toBe(rb!.headers.get('x-ratelimit-reset'));
  });

  it('keep the contract on both', () => {
    expect([...a.violations, ...b.violations]).toEqual([]);
  });
});
