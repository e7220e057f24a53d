// Coalescing GET /v2/promotions/{id} (issue 27, src/enrollments/token-view-batch.ts): reads that
// arrive together share statements over arrays, and each is answered exactly as it is alone,
// across partners, user and app tokens, a revoked token, another partner's id, an unenrolled
// enrollment, a missing one, a malformed id and an unknown token.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOpaque } from '../../src/auth/token-service.js';
import { queryRows } from '../../src/db/client.js';
import { tokenViewBatchCounts } from '../../src/enrollments/token-view-batch.js';
import { bearer, useTestApp } from '../helpers/app.js';

const ctx = useTestApp({ env: { RATE_LIMIT_PER_HOUR: '100000', RATE_LIMIT_IP_PER_HOUR: '100000' } });

interface Read {
  name: string;
  token: string;
  id: string;
}
const reads: Read[] = [];

const get = (read: Read) =>
  ctx.app
    .inject({ method: 'GET', url: `/v2/promotions/${read.id}`, headers: bearer(read.token) })
    .then((res) => ({ status: res.statusCode, body: res.json() as unknown }));

async function enroll(token: string, promotionId: string): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v2/promotions',
    headers: bearer(token),
    payload: { promotion_id: promotionId },
  });
  expect(res.statusCode).toBe(201);
  return res.json().enrollment_id;
}

beforeAll(async () => {
  let revokable: Read | undefined;
  for (const p of [0, 1, 2]) {
    const partner = await ctx.fixtures.partner();
    const promotion = await ctx.fixtures.promotion(partner.id, {
      durationDays: 30 + p,
      taskLimitPerMonth: 5 + p,
    });
    const app = await ctx.fixtures.appToken(partner.id);
    for (const a of [0, 1]) {
      const account = await ctx.fixtures.account();
      const user = await ctx.fixtures.userToken(partner.id, account.id);
      const id = await enroll(user, promotion);
      reads.push({ name: `p${p} a${a} own user token`, token: user, id });
      reads.push({ name: `p${p} a${a} partner's app token`, token: app, id });
      reads.push({ name: `p${p} a${a} its id with another promotion id`, token: app, id: `x${id}` });
      if (p === 1 && a === 1) {
        revokable = {
          name: 'revoked user token',
          token: await ctx.fixtures.userToken(partner.id, account.id),
          id,
        };
      }
      ctx.clock.advance(60_000);
    }
    // Another account of the same partner: its user token sees only its own (404).
    const stranger = await ctx.fixtures.userToken(partner.id, (await ctx.fixtures.account()).id);
    reads.push({ name: `p${p} another account's user token`, token: stranger, id: reads.at(-3)!.id });
    reads.push({
      name: `p${p} missing id`,
      token: app,
      id: `${promotion}:00000000-0000-4000-8000-000000000000`,
    });
    reads.push({ name: `p${p} malformed id`, token: app, id: 'not-an-enrollment' });
  }
  const named = (name: string) => reads.find((r) => r.name === name)!;
  // Another partner's id: partner 1's app token on partner 0's enrollment.
  reads.push({
    name: "another partner's id",
    token: named("p1 a0 partner's app token").token,
    id: reads[0]!.id,
  });
  // Unenrolled: partner 2's first enrollment, by its own user token; GET then answers 404.
  const unenrolled = named('p2 a0 own user token');
  const del = await ctx.app.inject({
    method: 'DELETE',
    url: `/v2/promotions/${unenrolled.id}`,
    headers: bearer(unenrolled.token),
  });
  expect(del.statusCode).toBe(204);
  // Revoked: a second user token of an account whose first token still sees its enrollment.
  await queryRows(
    ctx.app.db,
    sql`update access_tokens set revoked_at = now() where id = ${parseOpaque(revokable!.token, 'at')!.id} returning id`,
  );
  reads.push(revokable!);
  // Unknown: a well-formed token no row has.
  reads.push({ name: 'unknown token', token: `at_${'A'.repeat(22)}.${'B'.repeat(43)}`, id: revokable!.id });
});

describe('GET /v2/promotions/{id} coalesced (issue 27)', () => {
  let alone: Map<string, { status: number; body: unknown }>;

  beforeAll(async () => {
    // Each alone: every read finds nothing in flight and goes through the single statement.
    const before = { ...tokenViewBatchCounts };
    alone = new Map();
    for (const read of reads) alone.set(read.name, await get(read));
    expect(tokenViewBatchCounts.requests - before.requests).toBe(reads.length);
    expect(tokenViewBatchCounts.statements - before.statements).toBe(reads.length);
    expect(tokenViewBatchCounts.batches - before.batches).toBe(0);
  });

  it('answers each case alone as the rules say', () => {
    const statuses = Object.fromEntries([...alone].map(([name, answer]) => [name, answer.status]));
    expect(statuses).toMatchObject({
      'p0 a0 own user token': 200,
      "p0 a0 partner's app token": 200,
      'p0 a0 its id with another promotion id': 404,
      "p0 another account's user token": 404,
      'p0 missing id': 404,
      'p0 malformed id': 404,
      "another partner's id": 404,
      'p2 a0 own user token': 404,
      "p2 a0 partner's app token": 404,
      'p2 a1 own user token': 200,
      'p1 a1 own user token': 200,
      'revoked user token': 401,
      'unknown token': 401,
    });
    expect(alone.get('p1 a1 own user token')!.body).toMatchObject({
      enrollment_id: reads.find((r) => r.name === 'p1 a1 own user token')!.id,
      task_limit_per_month: 6,
      status: 'enrolled',
    });
  });

  it('answers every read sent together exactly as alone, in fewer statements than reads', async () => {
    // Each read four times, interleaved differently each round, all at once.
    const rounds = [0, 1, 2, 3].map((round) =>
      reads.map((read, i) => ({ read, order: (i * (round * 7 + 3)) % reads.length })),
    );
    const all = rounds.flat().sort((a, b) => a.order - b.order);
    const before = { ...tokenViewBatchCounts };
    const answers = await Promise.all(all.map(({ read }) => get(read)));
    const statements = tokenViewBatchCounts.statements - before.statements;
    expect(tokenViewBatchCounts.requests - before.requests).toBe(all.length);
    expect(tokenViewBatchCounts.batches - before.batches).toBeGreaterThan(0);
    expect(statements).toBeLessThan(all.length / 4);
    all.forEach(({ read }, i) => {
      expect({ name: read.name, ...answers[i] }).toEqual({ name: read.name, ...alone.get(read.name) });
    });
  });

  it('gives a read inside a transaction its own statement on that transaction, never the batcher', async () => {
    const read = reads[0]!;
    const before = { ...tokenViewBatchCounts };
    const found = await ctx.app.db.transaction((tx) =>
      ctx.app.enrollmentsRepository.findTokenWithView(
        parseOpaque(read.token, 'at')!.id,
        { promotionId: read.id.split(':')[0]!, id: read.id.split(':')[1]! },
        ctx.clock.now(),
        tx,
      ),
    );
    expect(found.view?.id).toBe(read.id.split(':')[1]);
    expect(tokenViewBatchCounts).toEqual(before);
  });
});

describe('DB_COALESCE=false', () => {
  const off = useTestApp({ env: { DB_COALESCE: 'false' } });

  it('sends every read its own statement', async () => {
    const partner = await off.fixtures.partner();
    const promotion = await off.fixtures.promotion(partner.id);
    const token = await off.fixtures.userToken(partner.id, (await off.fixtures.account()).id);
    const created = await off.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: bearer(token),
      payload: { promotion_id: promotion },
    });
    const before = { ...tokenViewBatchCounts };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        off.app.inject({
          method: 'GET',
          url: `/v2/promotions/${created.json().enrollment_id}`,
          headers: bearer(token),
        }),
      ),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(tokenViewBatchCounts).toEqual(before);
  });
});
