// CONTRACT §12: POST /admin/v1/usage_events — allocation across an account's sponsoring
// enrollments, late events, events of an account on a test clock, and the usage webhooks. The
// per-event results and the answer a 400 or 413 gives: event-results.test.ts.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import type { PartnerFixture } from '../helpers/app.js';
import { useTestApp } from '../helpers/app.js';
import { meteringFor } from './helpers.js';

const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
let partner: PartnerFixture;
beforeAll(async () => {
  partner = await ctx.fixtures.partner();
});
const m = meteringFor(ctx, () => partner);

describe('allocation (CONTRACT §12)', () => {
  it('draws from the earliest expiring enrollment first, then the next, and reports the rest unsponsored', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const long = await ctx.fixtures.promotion(partner.id, { durationDays: 90, taskLimitPerMonth: 10 });
    const short = await ctx.fixtures.promotion(partner.id, { durationDays: 30, taskLimitPerMonth: 5 });
    const a = await m.account([long, short]);
    const [longId, shortId] = a.enrollments as [string, string];
    ctx.clock.set('2026-04-29T08:00:00Z');

    const id = m.eventId();
    const res = await m.ingest([{ id, external_account_id: a.externalId, tasks: 12 }]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      data: [
        {
          id,
          status: 'recorded',
          sponsored: 12,
          unsponsored: 0,
          allocations: [
            { enrollment_id: shortId, promotion_id: short, tasks: 5 },
            { enrollment_id: longId, promotion_id: long, tasks: 7 },
          ],
        },
      ],
    });
    const next = m.eventId();
    const more = await m.ingest([{ id: next, account_id: a.accountId, tasks: 10 }]);
    expect(more.json().data).toEqual([
      {
        id: next,
        status: 'recorded',
        sponsored: 3,
        unsponsored: 7,
        allocations: [{ enrollment_id: longId, promotion_id: long, tasks: 3 }],
      },
    ]);
    expect([await m.usedNow(shortId), await m.usedNow(longId)]).toEqual([5, 10]);

    const ledger = await queryRows<{ tasks_requested: number; tasks_accepted: number; event_id: string }>(
      ctx.app.db,
      sql`select tasks_requested, tasks_accepted, event_id from usage_ledger
          where enrollment_id in (${shortId.split(':')[1]}::uuid, ${longId.split(':')[1]}::uuid)
          order by recorded_at, tasks_requested desc`,
    );
    ledger.sort((x, y) => Number(x.event_id !== id) - Number(y.event_id !== id));
    expect(ledger).toEqual([
      { tasks_requested: 12, tasks_accepted: 5, event_id: id },
      { tasks_requested: 7, tasks_accepted: 7, event_id: id },
      { tasks_requested: 10, tasks_accepted: 3, event_id: next },
    ]);
  });

  it('gives an unlimited enrollment everything, after the limited ones that expire first', async () => {
    ctx.clock.set('2026-05-01T00:00:00Z');
    const open = await ctx.fixtures.promotion(partner.id, { durationDays: null, taskLimitPerMonth: null });
    const capped = await ctx.fixtures.promotion(partner.id, { durationDays: 30, taskLimitPerMonth: 2 });
    const a = await m.account([open, capped]);
    const [openId, cappedId] = a.enrollments as [string, string];
    const id = m.eventId();
    const res = await m.ingest([{ id, account_id: a.accountId, tasks: 1_000_000 }]);
    expect(res.json().data[0]).toEqual({
      id,
      status: 'recorded',
      sponsored: 1_000_000,
      unsponsored: 0,
      allocations: [
        { enrollment_id: cappedId, promotion_id: capped, tasks: 2 },
        { enrollment_id: openId, promotion_id: open, tasks: 999_998 },
      ],
    });
  });

  it('leaves an account without sponsoring enrollments unsponsored, and ignores unenrolled and expired ones', async () => {
    ctx.clock.set('2026-05-02T00:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 1, taskLimitPerMonth: 100 });
    const gone = await ctx.fixtures.promotion(partner.id, { durationDays: 90, taskLimitPerMonth: 100 });
    const a = await m.account([promo, gone]);
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${a.enrollments[1]}`,
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(del.statusCode).toBe(204);
    ctx.clock.set('2026-05-03T00:00:01Z'); // the first expired at 2026-05-02T23:59:59Z
    const id = m.eventId();
    const res = await m.ingest([{ id, account_id: a.accountId, tasks: 4 }]);
    expect(res.json().data).toEqual([
      { id, status: 'recorded', sponsored: 0, unsponsored: 4, allocations: [] },
    ]);
    // An event from before the expiry and the unenrollment is still sponsored by both, in order.
    const early = m.eventId();
    const back = await m.ingest([
      { id: early, account_id: a.accountId, tasks: 3, occurred_at: '2026-05-02T12:00:00Z' },
    ]);
    expect(back.json().data[0].allocations).toEqual([
      { enrollment_id: a.enrollments[0], promotion_id: promo, tasks: 3 },
    ]);
  });

  it('lands a late event in its own billing cycle, not the current one', async () => {
    ctx.clock.set('2026-01-31T12:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 365, taskLimitPerMonth: 10 });
    const a = await m.account([promo]);
    const enrollmentId = a.enrollments[0]!;
    ctx.clock.set('2026-03-01T00:00:00Z'); // cycle 1 started 2026-02-28T12:00:00Z
    const late = m.eventId();
    const res = await m.ingest([
      { id: late, account_id: a.accountId, tasks: 8, occurred_at: '2026-02-20T00:00:00Z' },
    ]);
    expect(res.json().data[0].sponsored).toBe(8);
    expect(await m.usedNow(enrollmentId)).toBe(0);
    const again = await m.ingest([
      { id: m.eventId(), account_id: a.accountId, tasks: 5, occurred_at: '2026-02-21T00:00:00Z' },
    ]);
    // Cycle 0 has 2 left of 10.
    expect(again.json().data[0]).toMatchObject({ sponsored: 2, unsponsored: 3 });
    const now = await m.ingest([{ id: m.eventId(), account_id: a.accountId, tasks: 5 }]);
    expect(now.json().data[0]).toMatchObject({ sponsored: 5, unsponsored: 0 });
    expect(await m.usedNow(enrollmentId)).toBe(5);
  });
});

describe('test clocks (CONTRACT §9) and webhooks (CONTRACT §8)', () => {
  it("judges an account on a test clock at its clock's time", async () => {
    ctx.clock.set('2026-06-10T00:00:00Z');
    const sandbox = await ctx.fixtures.partner({ sandbox: true });
    const appToken = await ctx.fixtures.appToken(sandbox.id);
    const promo = await ctx.fixtures.promotion(sandbox.id, { taskLimitPerMonth: 10 });
    const clock = await ctx.app.inject({
      method: 'POST',
      url: '/v2/test_helpers/test_clocks',
      headers: { authorization: `Bearer ${appToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ frozen_time: '2027-01-01T00:00:00Z' }),
    });
    expect(clock.statusCode).toBe(201);
    const acct = await ctx.app.inject({
      method: 'POST',
      url: `/v2/test_helpers/test_clocks/${clock.json().id}/accounts`,
      headers: { authorization: `Bearer ${appToken}`, 'content-type': 'application/json' },
      payload: '{}',
    });
    const { account_id: accountId, access_token: token } = acct.json();
    const enrolled = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ promotion_id: promo }),
    });
    const enrollmentId = enrolled.json().enrollment_id;
    // Wall-clock "now" is 2026; the account lives on 2027-01-01.
    const res = await m.ingest([
      { id: m.eventId(), account_id: accountId, tasks: 4 },
      { id: 'clock-old', account_id: accountId, tasks: 1, occurred_at: '2026-06-10T00:00:00Z' },
      { id: m.eventId(), account_id: accountId, tasks: 1, occurred_at: '2027-01-01T00:04:00Z' },
    ]);
    expect(res.json().data.map((d: { status: string }) => d.status)).toEqual([
      'recorded',
      'rejected',
      'recorded',
    ]);
    expect(res.json().data[1].error.code).toBe('event_too_old');
    const detail = await ctx.app.inject({
      method: 'GET',
      url: `/v2/promotions/${enrollmentId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(detail.json().tasks_used_this_month).toBe(5);
  });

  it('raises usage.threshold_reached and usage.limit_reached once per crossing, from batches as from single calls', async () => {
    ctx.clock.set('2026-06-20T00:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 10 });
    const a = await m.account([promo]);
    const enrollmentId = a.enrollments[0]!;
    const types = async () =>
      (
        await queryRows<{ type: string }>(
          ctx.app.db,
          sql`select type from events where enrollment_id = ${enrollmentId.split(':')[1]}::uuid
              and type like 'usage.%' order by created_at, type`,
        )
      )
        .map((r) => r.type)
        .sort();
    await m.ingest([{ id: m.eventId(), account_id: a.accountId, tasks: 7 }]);
    expect(await types()).toEqual([]);
    await m.ingest([
      { id: m.eventId(), account_id: a.accountId, tasks: 1 },
      { id: m.eventId(), account_id: a.accountId, tasks: 1 },
    ]);
    expect(await types()).toEqual(['usage.threshold_reached']);
    await m.ingest([{ id: m.eventId(), account_id: a.accountId, tasks: 5 }]);
    expect(await types()).toEqual(['usage.limit_reached', 'usage.threshold_reached']);
    await m.ingest([{ id: m.eventId(), account_id: a.accountId, tasks: 5 }]);
    // Once per enrollment and cycle: nothing more, and no usage.recorded event per batch.
    expect(await types()).toEqual(['usage.limit_reached', 'usage.threshold_reached']);
  });
});
