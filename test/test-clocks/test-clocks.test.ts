import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { ADVANCE_LEASE_MS } from '../../src/test-clocks/service.js';
import { bearer, useTestApp } from '../helpers/app.js';
import { clockCalls } from './helpers.js';

const CLOCK_ID = /^clock_[A-Za-z0-9_-]{22}$/;
const byTimeThenType = (a: string[], b: string[]) => a[1]!.localeCompare(b[1]!) || a[0]!.localeCompare(b[0]!);

describe('test clocks (CONTRACT §9)', () => {
  const ctx = useTestApp();
  const c = clockCalls(ctx);

  it('creates, reads and lists a sandbox partner’s clocks, at whole seconds, with a Location', async () => {
    const { appToken } = await c.sandbox();
    const created = await c.call(appToken, 'POST', '/v2/test_helpers/test_clocks', {
      frozen_time: '2026-01-31T10:00:00.750Z',
      name: 'monthly reset',
    });
    expect(created.statusCode).toBe(201);
    const clock = created.json();
    expect(clock).toEqual({
      id: expect.stringMatching(CLOCK_ID),
      frozen_time: '2026-01-31T10:00:00Z',
      name: 'monthly reset',
      status: 'ready',
      created_at: '2026-04-28T10:00:00Z',
    });
    expect(created.headers.location).toBe(`/v2/test_helpers/test_clocks/${clock.id}`);
    expect(created.headers['x-ratelimit-limit']).toBeDefined();

    const read = await c.call(appToken, 'GET', `/v2/test_helpers/test_clocks/${clock.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(clock);

    const second = await c.clock(appToken, '2027-01-01T00:00:00+02:00');
    const page1 = await c.call(appToken, 'GET', '/v2/test_helpers/test_clocks?limit=1');
    expect(page1.statusCode).toBe(200);
    const ids = [clock.id, second].sort();
    expect(page1.json().data.map((x: { id: string }) => x.id)).toEqual([ids[0]]);
    const page2 = await c.call(
      appToken,
      'GET',
      `/v2/test_helpers/test_clocks?limit=1&cursor=${page1.json().next_cursor}`,
    );
    expect(page2.json()).toEqual({
      data: [expect.objectContaining({ id: ids[1] })],
      next_cursor: null,
    });
    const withoutName = await c.call(appToken, 'GET', `/v2/test_helpers/test_clocks/${second}`);
    expect(withoutName.json()).toMatchObject({ frozen_time: '2026-12-31T22:00:00Z', name: null });

    const bad = await c.call(appToken, 'POST', '/v2/test_helpers/test_clocks', { frozen_time: 'tomorrow' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({
      code: 'invalid_request',
      source: { pointer: '/frozen_time' },
    });
    const cursor = await c.call(appToken, 'GET', '/v2/test_helpers/test_clocks?cursor=xyz');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().errors[0]).toMatchObject({
      code: 'invalid_request',
      source: { parameter: 'cursor' },
    });
  });

  it('lives a whole enrollment at the clock’s time: month-end cycles, usage reset, expiry at 23:59:59', async () => {
    const { partner, appToken } = await c.sandbox();
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 90, taskLimitPerMonth: 1000 });
    const clock = await c.clock(appToken, '2026-01-31T10:00:00Z');
    const account = await c.account(appToken, clock);
    expect(account).toEqual({
      account_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: expect.stringMatching(/@test-clocks\.invalid$/),
      access_token: expect.stringMatching(/^at_/),
      token_type: 'Bearer',
      scope: 'promotions:read promotions:write',
      expires_in: ctx.config.accessTokenTtlSeconds,
    });
    const id = await c.enroll(account.access_token, promo);

    const start = {
      enrollment_id: id,
      promotion_id: promo,
      enrollment_date: '2026-01-31T10:00:00Z',
      expiration_date: '2026-04-30T23:59:59Z',
      task_limit_per_month: 1000,
      tasks_used_this_month: 0,
      status: 'enrolled',
      billing_cycle_start: '2026-01-31T10:00:00Z',
      billing_cycle_end: '2026-02-28T10:00:00Z',
    };
    expect(await c.detail(account.access_token, id)).toEqual(start);
    // The partner's app token reads it at the clock's time too (the enrollment carries the clock).
    expect(await c.detail(appToken, id)).toEqual(start);

    const used = await c.usage(appToken, id, 100);
    expect(used.statusCode).toBe(200);
    expect(used.json()).toEqual({
      accepted: 100,
      rejected: 0,
      tasks_used_this_month: 100,
      task_limit_per_month: 1000,
    });
    expect((await c.detail(account.access_token, id)).tasks_used_this_month).toBe(100);

    // The second before the roll-over: still the first cycle.
    expect((await c.advance(appToken, clock, '2026-02-28T09:59:59Z')).statusCode).toBe(200);
    expect(await c.detail(account.access_token, id)).toMatchObject({
      tasks_used_this_month: 100,
      billing_cycle_start: '2026-01-31T10:00:00Z',
    });
    const rolled = await c.advance(appToken, clock, '2026-02-28T10:00:00Z');
    expect(rolled.statusCode).toBe(200);
    expect(rolled.json()).toMatchObject({ id: clock, frozen_time: '2026-02-28T10:00:00Z', status: 'ready' });
    expect(await c.detail(account.access_token, id)).toEqual({
      ...start,
      billing_cycle_start: '2026-02-28T10:00:00Z',
      billing_cycle_end: '2026-03-31T10:00:00Z',
    });
    expect((await c.usage(appToken, id, 7)).json().tasks_used_this_month).toBe(7);

    await c.advance(appToken, clock, '2026-03-31T10:00:00Z');
    expect(await c.detail(account.access_token, id)).toMatchObject({
      tasks_used_this_month: 0,
      billing_cycle_start: '2026-03-31T10:00:00Z',
      billing_cycle_end: '2026-04-30T10:00:00Z',
    });

    // Expiry at 23:59:59 of the last day: that second is still live, the next is not.
    await c.advance(appToken, clock, '2026-04-30T23:59:59Z');
    expect((await c.detail(account.access_token, id)).status).toBe('enrolled');
    expect((await c.usage(appToken, id, 1)).statusCode).toBe(200);
    await c.advance(appToken, clock, '2026-05-01T00:00:00Z');
    expect(await c.detail(account.access_token, id)).toMatchObject({
      status: 'expired',
      expiration_date: '2026-04-30T23:59:59Z',
    });
    const late = await c.usage(appToken, id, 1);
    expect(late.statusCode).toBe(409);
    expect(late.json().errors[0]).toMatchObject({
      code: 'enrollment_not_active',
      detail: 'The enrollment expired on 2026-04-30T23:59:59Z.',
    });

    // The advance ran the sweep for this clock: marked at the clock's time, with its event.
    const [row] = await queryRows<{ expired_at: string }>(
      ctx.app.db,
      sql`select to_char(expired_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as expired_at
          from enrollments where id = ${id.split(':')[1]}`,
    );
    expect(row!.expired_at).toBe('2026-05-01T00:00:00Z');
    const events = await ctx.admin({ method: 'GET', url: `/admin/v1/enrollments/${id}/events` });
    expect(events.statusCode).toBe(200);
    // At a frozen clock several events share an instant: the trail orders ties by id.
    const types = events
      .json()
      .data.map((e: { type: string; created_at: string }) => [e.type, e.created_at])
      .sort(byTimeThenType);
    expect(types).toEqual([
      ['enrolled', '2026-01-31T10:00:00Z'],
      ['usage_recorded', '2026-01-31T10:00:00Z'],
      ['usage_recorded', '2026-02-28T10:00:00Z'],
      ['usage_recorded', '2026-04-30T23:59:59Z'],
      ['expired', '2026-05-01T00:00:00Z'],
    ]);
  });

  it('follows a leap year: Jan 31 → Feb 29 → Mar 31, and a second before each roll-over', async () => {
    const { partner, appToken } = await c.sandbox();
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 365 });
    const clock = await c.clock(appToken, '2028-01-31T08:30:00Z');
    const account = await c.account(appToken, clock);
    const id = await c.enroll(account.access_token, promo);
    const cycle = async () => {
      const d = await c.detail(account.access_token, id);
      return [d.billing_cycle_start, d.billing_cycle_end];
    };
    expect(await cycle()).toEqual(['2028-01-31T08:30:00Z', '2028-02-29T08:30:00Z']);
    await c.advance(appToken, clock, '2028-02-29T08:29:59Z');
    expect(await cycle()).toEqual(['2028-01-31T08:30:00Z', '2028-02-29T08:30:00Z']);
    await c.advance(appToken, clock, '2028-02-29T08:30:00Z');
    expect(await cycle()).toEqual(['2028-02-29T08:30:00Z', '2028-03-31T08:30:00Z']);
    await c.advance(appToken, clock, '2028-03-31T08:29:59Z');
    expect(await cycle()).toEqual(['2028-02-29T08:30:00Z', '2028-03-31T08:30:00Z']);
    await c.advance(appToken, clock, '2028-03-31T08:30:00Z');
    expect(await cycle()).toEqual(['2028-03-31T08:30:00Z', '2028-04-30T08:30:00Z']);
    // 365 days from 2028-01-31 (a leap year) ends on 2029-01-29 at 23:59:59.
    expect((await c.detail(account.access_token, id)).expiration_date).toBe('2029-01-29T23:59:59Z');
  });

  it('judges the promotion window at the clock’s time (409 promotion_not_active)', async () => {
    const { partner, appToken } = await c.sandbox();
    // Open now on the wall clock (2026-04-28), not yet at the clock's time.
    const promo = await ctx.fixtures.promotion(partner.id, {
      durationDays: null,
      startsAt: new Date('2026-03-01T00:00:00Z'),
      endsAt: new Date('2026-06-01T00:00:00Z'),
    });
    const clock = await c.clock(appToken, '2026-02-15T12:00:00Z');
    const account = await c.account(appToken, clock);
    const early = await c.call(account.access_token, 'POST', '/v2/promotions', { promotion_id: promo });
    expect(early.statusCode).toBe(409);
    expect(early.json().errors[0]).toEqual({
      status: '409',
      code: 'promotion_not_active',
      title: 'Promotion Not Active',
      detail: 'The promotion has not started yet; enrollment opens at 2026-03-01T00:00:00Z.',
    });
    await c.advance(appToken, clock, '2026-03-01T00:00:00Z');
    const id = await c.enroll(account.access_token, promo);
    // Rule 10 at the clock's time: the promotion's end caps the enrollment.
    expect(await c.detail(account.access_token, id)).toMatchObject({
      enrollment_date: '2026-03-01T00:00:00Z',
      expiration_date: '2026-06-01T00:00:00Z',
      status: 'enrolled',
    });
    await c.advance(appToken, clock, '2026-06-01T00:00:01Z');
    expect((await c.detail(account.access_token, id)).status).toBe('expired');
    const other = await c.account(appToken, clock);
    const late = await c.call(other.access_token, 'POST', '/v2/promotions', { promotion_id: promo });
    expect(late.statusCode).toBe(409);
    expect(late.json().errors[0].detail).toBe('The promotion has ended.');
  });

  it('ends a promotion for clock enrollments at their clock’s time (rule 10)', async () => {
    const { partner, appToken } = await c.sandbox();
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 365 });
    // One clock ahead of the wall clock (2026-04-28), one behind it.
    const ahead = await c.clock(appToken, '2026-06-01T00:00:00Z');
    const behind = await c.clock(appToken, '2026-01-01T00:00:00Z');
    const aheadAccount = await c.account(appToken, ahead);
    const behindAccount = await c.account(appToken, behind);
    const aheadId = await c.enroll(aheadAccount.access_token, promo);
    const behindId = await c.enroll(behindAccount.access_token, promo);

    const ended = await ctx.admin({
      method: 'PATCH',
      url: `/admin/v1/promotions/${promo}`,
      payload: { status: 'ended' },
    });
    expect(ended.statusCode).toBe(200);
    expect(ended.json().ends_at).toBe('2026-04-28T09:59:59Z');
    const expiredEvents = async (id: string) =>
      queryRows<{ at: string }>(
        ctx.app.db,
        sql`select to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at
            from events where enrollment_id = ${id.split(':')[1]} and type = 'enrollment.expired'`,
      );
    // Past the end at its clock's time: expired at once, at that time.
    expect(await c.detail(aheadAccount.access_token, aheadId)).toMatchObject({
      status: 'expired',
      expiration_date: '2026-04-28T09:59:59Z',
    });
    expect(await expiredEvents(aheadId)).toEqual([{ at: '2026-06-01T00:00:00Z' }]);
    // Before the end at its clock's time: still enrolled, until its clock passes the end.
    expect((await c.detail(behindAccount.access_token, behindId)).status).toBe('enrolled');
    expect(await expiredEvents(behindId)).toEqual([]);
    await c.advance(appToken, behind, '2026-04-28T10:00:00Z');
    expect((await c.detail(behindAccount.access_token, behindId)).status).toBe('expired');
    expect(await expiredEvents(behindId)).toEqual([{ at: '2026-04-28T10:00:00Z' }]);
  });

  it('unenrolls a clock enrollment at the clock’s time', async () => {
    const { partner, appToken } = await c.sandbox();
    const promo = await ctx.fixtures.promotion(partner.id);
    const clock = await c.clock(appToken, '2026-01-10T00:00:00Z');
    const account = await c.account(appToken, clock);
    const id = await c.enroll(account.access_token, promo);
    const res = await c.call(appToken, 'DELETE', `/v2/promotions/${id}`);
    expect(res.statusCode).toBe(204);
    const events = await ctx.admin({ method: 'GET', url: `/admin/v1/enrollments/${id}/events` });
    expect(
      events
        .json()
        .data.map((e: { type: string; created_at: string }) => [e.type, e.created_at])
        .sort(byTimeThenType),
    ).toEqual([
      ['enrolled', '2026-01-10T00:00:00Z'],
      ['unenrolled', '2026-01-10T00:00:00Z'],
    ]);
  });

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
