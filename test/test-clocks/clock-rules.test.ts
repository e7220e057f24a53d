// Test clocks (CONTRACT §9): advancing forward only and one at a time, live partners refused,
// each partner's clocks its own, deleting a clock with all it holds, clock accounts.
import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { ADVANCE_LEASE_MS } from '../../src/test-clocks/service.js';
import { bearer, useTestApp } from '../helpers/app.js';
import { clockCalls } from './helpers.js';

describe('test clocks (CONTRACT §9)', () => {
  const ctx = useTestApp();
  const c = clockCalls(ctx);

  it('advances forward only, at most 2 years per call', async () => {
    const { appToken } = await c.sandbox();
    const clock = await c.clock(appToken, '2026-01-31T10:00:00Z');
    const back = await c.advance(appToken, clock, '2026-01-31T09:59:59Z');
    expect(back.statusCode).toBe(400);
    expect(back.json().errors[0]).toEqual({
      status: '400',
      code: 'invalid_request',
      title: 'Invalid Request',
      detail:
        "frozen_time must not be earlier than the clock's current time (2026-01-31T10:00:00Z): clocks only move forward.",
      source: { pointer: '/frozen_time' },
    });
    const far = await c.advance(appToken, clock, '2028-01-31T10:00:01Z');
    expect(far.statusCode).toBe(400);
    expect(far.json().errors[0]).toMatchObject({
      code: 'invalid_request',
      detail: 'An advance moves a clock at most 2 years, here up to 2028-01-31T10:00:00Z.',
      source: { pointer: '/frozen_time' },
    });
    // Neither changed anything.
    const read = await c.call(appToken, 'GET', `/v2/test_helpers/test_clocks/${clock}`);
    expect(read.json()).toMatchObject({ frozen_time: '2026-01-31T10:00:00Z', status: 'ready' });
    const max = await c.advance(appToken, clock, '2028-01-31T10:00:00Z');
    expect(max.statusCode).toBe(200);
    expect(max.json()).toMatchObject({ frozen_time: '2028-01-31T10:00:00Z', status: 'ready' });
  });

  it('answers 409 test_clock_advancing to an advance (or delete) while another advance runs', async () => {
    const { appToken } = await c.sandbox();
    const clock = await c.clock(appToken, '2026-01-01T00:00:00Z');
    const { testClocksRepository: testClocks } = ctx.app;
    const claim = testClocks.claimAdvance.bind(testClocks);
    let during: Array<{ statusCode: number; body: string }> = [];
    const spy = vi.spyOn(testClocks, 'claimAdvance').mockImplementation(async (...args) => {
      const claimed = await claim(...args);
      if (claimed && during.length === 0) {
        // The first advance holds the clock: a second one (and a delete) arrive now.
        during = [
          await c.advance(appToken, clock, '2026-03-01T00:00:00Z'),
          await c.call(appToken, 'DELETE', `/v2/test_helpers/test_clocks/${clock}`),
        ];
      }
      return claimed;
    });
    try {
      const first = await c.advance(appToken, clock, '2026-02-01T00:00:00Z');
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ frozen_time: '2026-02-01T00:00:00Z', status: 'ready' });
    } finally {
      spy.mockRestore();
    }
    expect(during.map((r) => r.statusCode)).toEqual([409, 409]);
    for (const r of during) {
      expect(JSON.parse(r.body).errors[0]).toEqual({
        status: '409',
        code: 'test_clock_advancing',
        title: 'Test Clock Advancing',
        detail: 'The test clock is advancing; retry when it is ready again (GET shows its status).',
      });
    }
    const read = await c.call(appToken, 'GET', `/v2/test_helpers/test_clocks/${clock}`);
    expect(read.json()).toMatchObject({ frozen_time: '2026-02-01T00:00:00Z', status: 'ready' });
  });

  it('frees a clock whose advance died once its lease (real time) runs out', async () => {
    const { partner, appToken } = await c.sandbox();
    const clock = await c.clock(appToken, '2026-01-01T00:00:00Z');
    // An advance claimed the clock, then its process died before finishing or releasing it.
    const claimed = await ctx.app.testClocksRepository.claimAdvance(partner.id, clock, {
      from: new Date('2026-01-01T00:00:00Z'),
      now: ctx.clock.now(),
      leaseUntil: new Date(ctx.clock.now().getTime() + ADVANCE_LEASE_MS),
    });
    expect(claimed).toBe(true);
    const read = () => c.call(appToken, 'GET', `/v2/test_helpers/test_clocks/${clock}`);
    expect((await read()).json().status).toBe('advancing');
    expect((await c.advance(appToken, clock, '2026-02-01T00:00:00Z')).statusCode).toBe(409);
    expect((await c.call(appToken, 'DELETE', `/v2/test_helpers/test_clocks/${clock}`)).statusCode).toBe(409);

    const wall = ctx.clock.now();
    ctx.clock.advance(ADVANCE_LEASE_MS + 1000);
    try {
      expect((await read()).json()).toMatchObject({ status: 'ready', frozen_time: '2026-01-01T00:00:00Z' });
      const advanced = await c.advance(appToken, clock, '2026-02-01T00:00:00Z');
      expect(advanced.statusCode).toBe(200);
      expect(advanced.json()).toMatchObject({ status: 'ready', frozen_time: '2026-02-01T00:00:00Z' });
    } finally {
      ctx.clock.set(wall);
    }
  });

  it('gives a live partner 403 permission_denied on every test helper, bad bodies included', async () => {
    const live = await ctx.fixtures.partner();
    const token = await ctx.fixtures.appToken(live.id);
    const calls: Array<['GET' | 'POST' | 'DELETE', string, object?]> = [
      ['POST', '/v2/test_helpers/test_clocks', { frozen_time: '2026-01-01T00:00:00Z' }],
      ['POST', '/v2/test_helpers/test_clocks', { frozen_time: 'not a time' }],
      ['GET', '/v2/test_helpers/test_clocks'],
      ['GET', '/v2/test_helpers/test_clocks/clock_x'],
      ['DELETE', '/v2/test_helpers/test_clocks/clock_x'],
      ['POST', '/v2/test_helpers/test_clocks/clock_x/advance', { frozen_time: '2026-01-01T00:00:00Z' }],
      ['POST', '/v2/test_helpers/test_clocks/clock_x/accounts', {}],
      ['POST', '/v2/test_helpers/enrollments/p:00000000-0000-0000-0000-000000000000/usage', { tasks: 1 }],
    ];
    for (const [method, url, payload] of calls) {
      const res = await c.call(token, method, url, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().errors[0]).toEqual({
        status: '403',
        code: 'permission_denied',
        title: 'Permission Denied',
        detail:
          'Test helpers are only for sandbox partners; this partner is live (ask for a sandbox partner).',
      });
    }
    // Not even a sandbox partner's user token: test helpers take the app token.
    const { appToken } = await c.sandbox();
    const clock = await c.clock(appToken, '2026-01-01T00:00:00Z');
    const account = await c.account(appToken, clock);
    const user = await c.call(account.access_token, 'GET', '/v2/test_helpers/test_clocks');
    expect(user.statusCode).toBe(403);
    expect(user.json().errors[0].code).toBe('permission_denied');
    const anonymous = await ctx.app.inject({ method: 'GET', url: '/v2/test_helpers/test_clocks' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('keeps each partner’s clocks and their enrollments to itself (404)', async () => {
    const a = await c.sandbox();
    const b = await c.sandbox();
    const promo = await ctx.fixtures.promotion(a.partner.id);
    const clock = await c.clock(a.appToken, '2026-01-01T00:00:00Z');
    const account = await c.account(a.appToken, clock);
    const id = await c.enroll(account.access_token, promo);

    const notFound = {
      status: '404',
      code: 'test_clock_not_found',
      title: 'Test Clock Not Found',
      detail: 'The requested test clock was not found.',
    };
    for (const [method, url, payload] of [
      ['GET', `/v2/test_helpers/test_clocks/${clock}`],
      ['DELETE', `/v2/test_helpers/test_clocks/${clock}`],
      ['POST', `/v2/test_helpers/test_clocks/${clock}/advance`, { frozen_time: '2026-02-01T00:00:00Z' }],
      ['POST', `/v2/test_helpers/test_clocks/${clock}/accounts`, {}],
    ] as const) {
      const res = await c.call(b.appToken, method, url, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().errors[0]).toEqual(notFound);
    }
    expect((await c.call(b.appToken, 'GET', '/v2/test_helpers/test_clocks')).json()).toEqual({
      data: [],
      next_cursor: null,
    });
    const usage = await c.usage(b.appToken, id, 1);
    expect(usage.statusCode).toBe(404);
    expect(usage.json().errors[0].code).toBe('enrollment_not_found');
    expect((await c.call(b.appToken, 'GET', `/v2/promotions/${id}`)).statusCode).toBe(404);

    // A's own live enrollment is not a clock enrollment: the test helper refuses it too.
    const liveAccount = await ctx.fixtures.account();
    const liveToken = await ctx.fixtures.userToken(a.partner.id, liveAccount.id);
    const liveId = await c.enroll(liveToken, promo);
    const liveUsage = await c.usage(a.appToken, liveId, 1);
    expect(liveUsage.statusCode).toBe(404);
    expect(liveUsage.json().errors[0].code).toBe('enrollment_not_found');
    // …and lives on the wall clock.
    expect((await c.detail(liveToken, liveId)).enrollment_date).toBe('2026-04-28T10:00:00Z');
  });

  it('leaves clock enrollments to their clock: the live sweeper never marks them', async () => {
    const { partner, appToken } = await c.sandbox();
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 1 });
    const clock = await c.clock(appToken, '2026-01-01T00:00:00Z');
    const account = await c.account(appToken, clock);
    const id = await c.enroll(account.access_token, promo);
    const liveAccount = await ctx.fixtures.account();
    const liveId = await c.enroll(await ctx.fixtures.userToken(partner.id, liveAccount.id), promo);
    const swept = new Set(
      await ctx.app.enrollmentExpiry.markExpired(new Date('2030-01-01T00:00:00Z'), 10_000),
    );
    expect(swept.has(liveId.split(':')[1]!)).toBe(true);
    expect(swept.has(id.split(':')[1]!)).toBe(false);
    // Its clock still reads it enrolled until the clock passes its expiry.
    expect((await c.detail(account.access_token, id)).status).toBe('enrolled');
    await c.advance(appToken, clock, '2026-01-02T00:00:00Z');
    expect((await c.detail(account.access_token, id)).status).toBe('expired');
    expect(
      await c.count('events', sql`enrollment_id = ${id.split(':')[1]} and type = 'enrollment.expired'`),
    ).toBe(1);
  });

  it('deletes a clock with everything attached to it, and nothing else', async () => {
    const { partner, appToken } = await c.sandbox();
    const budgeted = await ctx.fixtures.promotion(partner.id, { maxEnrollments: 10 });
    const open = await ctx.fixtures.promotion(partner.id);
    const clock = await c.clock(appToken, '2026-01-01T00:00:00Z');
    const accounts = [await c.account(appToken, clock), await c.account(appToken, clock)];
    const ids: string[] = [];
    for (const a of accounts) {
      for (const promo of [budgeted, open]) {
        const id = await c.enroll(a.access_token, promo);
        ids.push(id);
        expect((await c.usage(appToken, id, 2, `k-${id}`)).statusCode).toBe(200);
      }
    }
    await c.advance(appToken, clock, '2026-02-15T00:00:00Z');
    expect((await c.usage(appToken, ids[0]!, 1)).statusCode).toBe(200);
    // A live enrollment of the same partner in the same promotions: untouched by the delete.
    const live = await ctx.fixtures.account();
    const liveToken = await ctx.fixtures.userToken(partner.id, live.id);
    const liveId = await c.enroll(liveToken, budgeted);
    const other = await c.clock(appToken, '2026-01-01T00:00:00Z');
    const otherAccount = await c.account(appToken, other);
    const otherId = await c.enroll(otherAccount.access_token, open);

    const uuids = ids.map((id) => id.split(':')[1]!);
    const accountIds = accounts.map((a) => a.account_id);
    const inIds = sql.join(
      uuids.map((u) => sql`${u}::uuid`),
      sql`, `,
    );
    const inAccounts = sql.join(
      accountIds.map((u) => sql`${u}::uuid`),
      sql`, `,
    );
    const counts = async () => ({
      usage_ledger: await c.count('usage_ledger', sql`enrollment_id in (${inIds})`),
      usage_counters: await c.count('usage_counters', sql`enrollment_id in (${inIds})`),
      events: await c.count('events', sql`enrollment_id in (${inIds})`),
      enrollments: await c.count('enrollments', sql`id in (${inIds})`),
      access_tokens: await c.count('access_tokens', sql`account_id in (${inAccounts})`),
      accounts: await c.count('accounts', sql`id in (${inAccounts})`),
      test_clocks: await c.count('test_clocks', sql`id = ${clock}`),
    });
    expect(await counts()).toEqual({
      usage_ledger: 5,
      usage_counters: 5,
      // 4 enrollment.created, 5 usage.recorded: the event log is the audit trail.
      events: 9,
      enrollments: 4,
      access_tokens: 2,
      accounts: 2,
      test_clocks: 1,
    });
    const count = async (promo: string) =>
      (await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${promo}` })).json().enrollments_count;
    expect([await count(budgeted), await count(open)]).toEqual([3, 3]);

    const deleted = await c.call(appToken, 'DELETE', `/v2/test_helpers/test_clocks/${clock}`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect(await counts()).toEqual({
      usage_ledger: 0,
      usage_counters: 0,
      events: 0,
      enrollments: 0,
      access_tokens: 0,
      accounts: 0,
      test_clocks: 0,
    });
    // The budget's seats come back; the live enrollment and the other clock are untouched.
    expect([await count(budgeted), await count(open)]).toEqual([1, 1]);
    expect((await c.detail(liveToken, liveId)).status).toBe('enrolled');
    expect((await c.detail(otherAccount.access_token, otherId)).enrollment_date).toBe('2026-01-01T00:00:00Z');
    // Its token is gone with it; the clock answers 404 from now on.
    expect((await c.call(accounts[0]!.access_token, 'GET', `/v2/promotions/${ids[0]}`)).statusCode).toBe(401);
    const again = await c.call(appToken, 'DELETE', `/v2/test_helpers/test_clocks/${clock}`);
    expect(again.statusCode).toBe(404);
    expect(again.json().errors[0].code).toBe('test_clock_not_found');
  });

  it('makes clock accounts with a given email (409 email_taken when in use) that cannot sign in', async () => {
    const { appToken } = await c.sandbox();
    const clock = await c.clock(appToken, '2026-01-01T00:00:00Z');
    const res = await c.call(appToken, 'POST', `/v2/test_helpers/test_clocks/${clock}/accounts`, {
      email: 'ci-run-1@example.com',
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json().email).toBe('ci-run-1@example.com');
    const taken = await c.call(appToken, 'POST', `/v2/test_helpers/test_clocks/${clock}/accounts`, {
      email: 'CI-run-1@example.com',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().errors[0]).toMatchObject({ code: 'email_taken', source: { pointer: '/email' } });
    const bodiless = await ctx.app.inject({
      method: 'POST',
      url: `/v2/test_helpers/test_clocks/${clock}/accounts`,
      headers: bearer(appToken),
    });
    expect(bodiless.statusCode, bodiless.body).toBe(201);
    const [row] = await queryRows<{ test_clock_id: string; password_hash: string }>(
      ctx.app.db,
      sql`select test_clock_id, password_hash from accounts where id = ${res.json().account_id}`,
    );
    expect(row).toEqual({ test_clock_id: clock, password_hash: '!test-clock-account' });
  });
});
