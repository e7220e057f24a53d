// A sandbox partner's clocks (CONTRACT §9) and an enrollment's lifetime at their time; advancing,
// access, isolation, deleting and clock accounts: clock-rules.test.ts.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { useTestApp } from '../helpers/app.js';
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
});
