// The partner's feed (CONTRACT §8.8) reaches back 30 days of the wall clock, in the order the
// events were written: an event of a test clock set long in the past is in it, stamped with the
// clock's time (regression: the feed compared the clock's time with the wall clock, so such a
// clock's events were missing from the feed and pruned within the hour).
import { describe, expect, it } from 'vitest';
import { bearer, useTestApp } from '../helpers/app.js';
import { clockCalls } from '../test-clocks/helpers.js';

const ctx = useTestApp({ now: '2026-04-28T10:00:00Z' });
const c = clockCalls(ctx);

describe('GET /v2/events and test clocks', () => {
  it("lists an event of a clock a year behind, by when it was written, with the clock's timestamp", async () => {
    const { partner, appToken } = await c.sandbox();
    const promotion = await ctx.fixtures.promotion(partner.id, { startsAt: null });
    const clock = await c.clock(appToken, '2025-03-01T08:00:00Z');
    const account = await c.account(appToken, clock);
    const onClock = await c.enroll(account.access_token, promotion);
    ctx.clock.set('2026-04-28T10:00:05Z');
    const liveAccount = await ctx.fixtures.account();
    const live = await c.enroll(await ctx.fixtures.userToken(partner.id, liveAccount.id), promotion);

    const feed = await ctx.app.inject({ method: 'GET', url: '/v2/events', headers: bearer(appToken) });
    expect(feed.statusCode).toBe(200);
    expect(
      feed
        .json()
        .data.map((e: { type: string; timestamp: string; data: { enrollment_id: string } }) => [
          e.type,
          e.timestamp,
          e.data.enrollment_id,
        ]),
    ).toEqual([
      ['enrollment.created', '2025-03-01T08:00:00Z', onClock],
      ['enrollment.created', '2026-04-28T10:00:05Z', live],
    ]);

    // 30 days of the wall clock later, neither is in the feed any more.
    ctx.clock.set('2026-05-28T10:00:06Z');
    const later = await ctx.app.inject({
      method: 'GET',
      url: '/v2/events',
      headers: bearer(await ctx.fixtures.appToken(partner.id)),
    });
    expect(later.json()).toEqual({ data: [], next_cursor: null });
  });
});
