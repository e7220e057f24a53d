// Coalescing bearer verification (issue 27, src/auth/token-batch.ts): token reads that arrive
// together share statements over an array of ids, and each request is answered exactly as it is
// alone: a revoked, an expired and a disabled partner's token each answer their own 401 while
// their neighbours pass, tokens of two partners each see their own partner, a test clock's user
// token enrolls at its clock's time, and a body token is judged with its header's app token.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenBatchCounts } from '../../src/auth/token-batch.js';
import { parseOpaque } from '../../src/auth/token-service.js';
import { queryRows } from '../../src/db/client.js';
import { bearer, useTestApp } from '../helpers/app.js';
import { clockCalls } from '../test-clocks/helpers.js';

const ctx = useTestApp({ env: { RATE_LIMIT_PER_HOUR: '100000', RATE_LIMIT_IP_PER_HOUR: '100000' } });
const calls = clockCalls(ctx);

interface Call {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  token: string;
  /** A body token: the header then carries `token`, an app token. */
  bodyToken?: string;
  promotionId?: string;
}
interface Answer {
  status: number;
  /** A 401's reason is in its challenge. */
  challenge: string | undefined;
  body: unknown;
}

const send = (call: Call): Promise<Answer> =>
  ctx.app
    .inject({
      method: call.method,
      url: call.url,
      headers: bearer(call.token),
      ...(call.method === 'POST'
        ? {
            payload: {
              promotion_id: call.promotionId,
              ...(call.bodyToken ? { user_access_token: call.bodyToken } : {}),
            },
          }
        : {}),
    })
    .then((res) => ({
      status: res.statusCode,
      challenge: res.headers['www-authenticate'] as string | undefined,
      body: res.json() as unknown,
    }));

const enroll = (name: string, token: string, promotionId: string, bodyToken?: string): Call => ({
  name,
  method: 'POST',
  url: '/v2/promotions',
  token,
  promotionId,
  ...(bodyToken ? { bodyToken } : {}),
});
const endpoints = (name: string, token: string): Call => ({
  name,
  method: 'GET',
  url: '/v2/webhook_endpoints',
  token,
});
/** DELETE of an enrollment no one has: 404 past a valid token, else the token's 401. */
const unenrollMissing = (name: string, token: string, promotionId: string): Call => ({
  name,
  method: 'DELETE',
  url: `/v2/promotions/${promotionId}:00000000-0000-4000-8000-000000000000`,
  token,
});

/** Calls that change nothing: answered the same however often they are sent. */
const repeatable: Call[] = [];
/** Enrollments, each sent once, with the account (and time) they must enroll. */
const once: { call: Call; accountId: string; partnerId: string; enrolledAt: string }[] = [];
/** Tokens of every case, by name, for the service and the repository. */
const named = new Map<string, string>();
let clockId: string;
const CLOCK_TIME = '2027-01-15T12:00:00Z';

const userTokenId = (token: string) => parseOpaque(token, 'at')!.id;

beforeAll(async () => {
  const wallTime = ctx.clock.now().toISOString().replace('.000Z', 'Z');
  const { partner: a, appToken: appA } = await calls.sandbox();
  const b = await ctx.fixtures.partner({ name: 'Partner B' });
  const c = await ctx.fixtures.partner({ name: 'Partner C' });
  const appB = await ctx.fixtures.appToken(b.id);
  const appC = await ctx.fixtures.appToken(c.id);
  const promotions = {
    a: await ctx.fixtures.promotion(a.id),
    b: await ctx.fixtures.promotion(b.id),
    c: await ctx.fixtures.promotion(c.id),
  };
  for (const [p, description] of [
    [a, 'endpoint of A'],
    [b, 'endpoint of B'],
    [c, 'endpoint of C'],
  ] as const) {
    await ctx.fixtures.webhookEndpoint(p.id, { description });
  }
  const user = async (partnerId: string) => {
    const account = await ctx.fixtures.account();
    return { accountId: account.id, token: await ctx.fixtures.userToken(partnerId, account.id) };
  };

  // Enrollments of live accounts of both partners, each by its own user token.
  for (const [label, partner, promotionId] of [
    ['A', a, promotions.a],
    ['B', b, promotions.b],
  ] as const) {
    for (let i = 0; i < 5; i++) {
      const u = await user(partner.id);
      once.push({
        call: enroll(`${label} user ${i} enrolls`, u.token, promotionId),
        accountId: u.accountId,
        partnerId: partner.id,
        enrolledAt: wallTime,
      });
    }
  }
  // A user token on a test clock: its principal carries the clock's time.
  clockId = await calls.clock(appA, CLOCK_TIME);
  const onClock = await calls.account(appA, clockId);
  once.push({
    call: enroll('clock user enrolls', onClock.access_token, promotions.a),
    accountId: onClock.account_id,
    partnerId: a.id,
    enrolledAt: CLOCK_TIME,
  });
  // A body token with its own partner's app token in the header.
  const inBody = await user(a.id);
  once.push({
    call: enroll('body token with its app token', appA, promotions.a, inBody.token),
    accountId: inBody.accountId,
    partnerId: a.id,
    enrolledAt: wallTime,
  });

  const revoked = await user(a.id);
  await queryRows(
    ctx.app.db,
    sql`update access_tokens set revoked_at = now() where id = ${userTokenId(revoked.token)} returning id`,
  );
  const expired = await user(a.id);
  await queryRows(
    ctx.app.db,
    sql`update access_tokens set expires_at = ${new Date(ctx.clock.now().getTime() - 1000).toISOString()}::timestamptz
        where id = ${userTokenId(expired.token)} returning id`,
  );
  const disabled = await user(c.id);
  await queryRows(ctx.app.db, sql`update partners set disabled_at = now() where id = ${c.id} returning id`);
  const ofB = await user(b.id);
  const mixed = await user(a.id);
  const unknown = `at_${'A'.repeat(22)}.${'B'.repeat(43)}`;
  const wrongSecret = `at_${userTokenId(ofB.token)}.${'B'.repeat(43)}`;
  repeatable.push(
    endpoints("A's app token lists A's endpoints", appA),
    endpoints("B's app token lists B's endpoints", appB),
    endpoints("disabled C's app token", appC),
    unenrollMissing("A's user token", mixed.token, promotions.a),
    unenrollMissing("B's user token", ofB.token, promotions.b),
    unenrollMissing('revoked token', revoked.token, promotions.a),
    unenrollMissing('expired token', expired.token, promotions.a),
    unenrollMissing("disabled partner's user token", disabled.token, promotions.c),
    unenrollMissing('unknown token', unknown, promotions.a),
    unenrollMissing("a known id with another token's secret", wrongSecret, promotions.b),
    endpoints('malformed token', 'at_nope'),
    enroll("B's user token on A's promotion", ofB.token, promotions.a),
    enroll("A's body token under B's app token", appB, promotions.a, mixed.token),
    enroll('revoked token enrolls', revoked.token, promotions.a),
  );
  for (const [name, token] of Object.entries({
    appA,
    appB,
    appC,
    userA: mixed.token,
    userB: ofB.token,
    onClock: onClock.access_token,
    revoked: revoked.token,
    expired: expired.token,
    disabled: disabled.token,
    unknown,
    wrongSecret,
  }))
    named.set(name, token);
});

describe('bearer verification coalesced (issue 27)', () => {
  let alone: Map<string, Answer>;

  beforeAll(async () => {
    // Each alone: nothing in flight, so every read goes through the single statement.
    const before = { ...tokenBatchCounts.find };
    alone = new Map();
    for (const call of repeatable) alone.set(call.name, await send(call));
    expect(tokenBatchCounts.find.batches - before.batches).toBe(0);
  });

  it('answers each case alone as the rules say', () => {
    const statuses = Object.fromEntries([...alone].map(([name, answer]) => [name, answer.status]));
    expect(statuses).toEqual({
      "A's app token lists A's endpoints": 200,
      "B's app token lists B's endpoints": 200,
      "disabled C's app token": 401,
      "A's user token": 404,
      "B's user token": 404,
      'revoked token': 401,
      'expired token': 401,
      "disabled partner's user token": 401,
      'unknown token': 401,
      "a known id with another token's secret": 401,
      'malformed token': 401,
      "B's user token on A's promotion": 404,
      "A's body token under B's app token": 403,
      'revoked token enrolls': 401,
    });
    const descriptions = (name: string) =>
      (alone.get(name)!.body as { data: { description: string }[] }).data.map((e) => e.description);
    expect(descriptions("A's app token lists A's endpoints")).toEqual(['endpoint of A']);
    expect(descriptions("B's app token lists B's endpoints")).toEqual(['endpoint of B']);
    // Each refusal keeps its own reason, in its challenge.
    const reasons = ['revoked token', 'expired token', "disabled partner's user token"].map(
      (name) => alone.get(name)!.challenge,
    );
    expect(new Set(reasons).size).toBe(3);
  });

  it('answers every request sent together exactly as alone, in fewer statements than requests', async () => {
    // The repeatable calls three times each, interleaved with the enrollments, all at once.
    const all = [
      ...[0, 1, 2].flatMap((round) => repeatable.map((call, i) => ({ call, order: i * 3 + round }))),
      ...once.map((o, i) => ({ call: o.call, order: i * 7 + 1 })),
    ].sort((x, y) => x.order - y.order);
    const before = { ...tokenBatchCounts.find };
    const answers = await Promise.all(all.map(({ call }) => send(call)));
    const requests = tokenBatchCounts.find.requests - before.requests;
    const statements = tokenBatchCounts.find.statements - before.statements;
    // Every bearer token read went through the batcher: a malformed one is refused before any
    // read, a body token is read with its header's app token.
    const reads = all.reduce(
      (n, { call }) => n + (call.name === 'malformed token' ? 0 : call.bodyToken ? 2 : 1),
      0,
    );
    expect(requests).toBe(reads);
    expect(tokenBatchCounts.find.batches - before.batches).toBeGreaterThan(0);
    expect(statements).toBeLessThan(requests);

    all.forEach(({ call }, i) => {
      const expected = alone.get(call.name);
      if (expected) expect({ name: call.name, ...answers[i] }).toEqual({ name: call.name, ...expected });
    });
    // Each enrollment is its own token's: its account, its partner, its clock's time.
    for (const o of once) {
      const answer = answers[all.findIndex(({ call }) => call === o.call)]!;
      expect({ name: o.call.name, status: answer.status }).toEqual({ name: o.call.name, status: 201 });
      const { enrollment_id } = answer.body as { enrollment_id: string };
      const [row] = await queryRows<{
        account_id: string;
        partner_id: string;
        promotion_id: string;
        at: string;
      }>(
        ctx.app.db,
        sql`select account_id, partner_id, promotion_id, to_char(enrolled_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at
            from enrollments where id = ${enrollment_id.split(':')[1]}::uuid`,
      );
      expect({ name: o.call.name, ...row }).toEqual({
        name: o.call.name,
        account_id: o.accountId,
        partner_id: o.partnerId,
        promotion_id: o.call.promotionId,
        at: o.enrolledAt,
      });
    }
  });
});

describe('verification coalesced, by the token service', () => {
  it('gives every verification sent together exactly its answer alone, in fewer statements', async () => {
    const { tokenService } = ctx.app;
    const cases = [...named];
    const alone = new Map<string, unknown>();
    for (const [name, token] of cases) alone.set(name, await tokenService.verifyAccessToken(token));
    expect(
      Object.fromEntries(
        [...alone].map(([name, r]) => {
          const result = r as Awaited<ReturnType<typeof tokenService.verifyAccessToken>>;
          return [name, result.ok ? result.principal.kind : result.reason];
        }),
      ),
    ).toEqual({
      appA: 'app',
      appB: 'app',
      appC: 'partner_disabled',
      userA: 'user',
      userB: 'user',
      onClock: 'user',
      revoked: 'revoked',
      expired: 'expired',
      disabled: 'partner_disabled',
      unknown: 'unknown',
      wrongSecret: 'unknown',
    });
    expect(alone.get('onClock')).toMatchObject({
      principal: { testClockId: clockId, clockTime: new Date(CLOCK_TIME) },
    });

    // Each case four times, each round in another order, all at once.
    const order = [0, 1, 2, 3].flatMap((round) =>
      cases.map((c, i) => ({ c, at: (i * (round * 5 + 3)) % cases.length })).sort((x, y) => x.at - y.at),
    );
    const before = { ...tokenBatchCounts.find };
    const together = await Promise.all(
      order.map(({ c: [, token] }) => tokenService.verifyAccessToken(token)),
    );
    const statements = tokenBatchCounts.find.statements - before.statements;
    expect(tokenBatchCounts.find.requests - before.requests).toBe(order.length);
    expect(tokenBatchCounts.find.batches - before.batches).toBeGreaterThan(0);
    expect(statements).toBeLessThan(order.length / 4);
    order.forEach(({ c: [name] }, i) => {
      expect({ name, result: together[i] }).toEqual({ name, result: alone.get(name) });
    });
  });
});

describe('the token repository coalesced', () => {
  it('gives each concurrent read exactly its row alone, duplicates and unknown ids included', async () => {
    const ids = [...named.values()].map(userTokenId);
    const repository = ctx.app.tokenRepository;
    const rowsAlone: Awaited<ReturnType<typeof repository.findAccessToken>>[] = [];
    for (const id of ids) rowsAlone.push(await repository.findAccessToken(id));
    expect(rowsAlone.filter((row) => row === undefined)).toHaveLength(1);
    expect(new Set(rowsAlone.map((row) => row?.partnerId)).size).toBe(4);

    const order = [...ids, ...[...ids].reverse(), ...ids];
    const before = { ...tokenBatchCounts.find };
    const together = await Promise.all(order.map((id) => repository.findAccessToken(id)));
    expect(tokenBatchCounts.find.batches - before.batches).toBeGreaterThan(0);
    order.forEach((id, i) => {
      expect({ id, row: together[i] }).toEqual({ id, row: rowsAlone[ids.indexOf(id)] });
    });
    // No two callers share an object, as when each reads alone.
    expect(together[ids.length * 2]).not.toBe(together[ids.length * 2 - 1]);
  });

  it('reads inside a transaction on that transaction, never through the batcher', async () => {
    const token = await ctx.fixtures.appToken((await ctx.fixtures.partner()).id);
    const before = { ...tokenBatchCounts.find };
    const row = await ctx.app.db.transaction((tx) =>
      ctx.app.tokenRepository.findAccessToken(userTokenId(token), tx),
    );
    expect(row?.id).toBe(userTokenId(token));
    expect(tokenBatchCounts.find).toEqual(before);
  });
});

describe('DB_COALESCE=false', () => {
  const off = useTestApp({ env: { DB_COALESCE: 'false' } });

  it('sends every token read and insert, and every client_id read, its own statement', async () => {
    const partner = await off.fixtures.partner();
    const before = {
      find: { ...tokenBatchCounts.find },
      insert: { ...tokenBatchCounts.insert },
      partner: { ...tokenBatchCounts.partner },
    };
    const grants = await Promise.all(
      Array.from({ length: 6 }, () =>
        off.app.inject({
          method: 'POST',
          url: '/oauth/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: `grant_type=client_credentials&client_id=${partner.clientId}&client_secret=${partner.clientSecret}`,
        }),
      ),
    );
    expect(grants.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
    const tokens = await Promise.all(Array.from({ length: 10 }, () => off.fixtures.appToken(partner.id)));
    const answers = await Promise.all(
      tokens
        .flatMap((token) => [token, token])
        .map((token) =>
          off.app.inject({ method: 'GET', url: '/v2/webhook_endpoints', headers: bearer(token) }),
        ),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(tokenBatchCounts).toEqual(before);
  });
});
