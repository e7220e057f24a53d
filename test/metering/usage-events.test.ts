// CONTRACT §12: POST /admin/v1/usage_events — allocation across an account's sponsoring
// enrollments, per-event results, dedup, rejections, late and clock events, and the answer
// a 400 or 413 gives (nothing counted).
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

const counts = async () =>
  (
    await queryRows<{ ledger: number; events: number; counters: number }>(
      ctx.app.db,
      sql`select (select count(*)::int from usage_ledger) as ledger, (select count(*)::int from usage_events) as events,
                 (select coalesce(sum(used), 0)::int from usage_counters) as counters`,
    )
  )[0]!;

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

describe('results, one per event (CONTRACT §12)', () => {
  it('answers duplicate with the first numbers, in a later request and in the same one, counting nothing again', async () => {
    ctx.clock.set('2026-06-01T00:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 5 });
    const a = await m.account([promo]);
    const id = m.eventId();
    const first = await m.ingest([
      { id, account_id: a.accountId, tasks: 7, occurred_at: '2026-06-01T00:00:00Z' },
      { id, account_id: a.accountId, tasks: 7, occurred_at: '2026-06-01T00:00:00Z' },
    ]);
    const recorded = {
      id,
      sponsored: 5,
      unsponsored: 2,
      allocations: [{ enrollment_id: a.enrollments[0], promotion_id: promo, tasks: 5 }],
    };
    expect(first.json().data).toEqual([
      { ...recorded, status: 'recorded' },
      { ...recorded, status: 'duplicate' },
    ]);
    const before = await counts();
    // By external id, without occurred_at: the same event.
    const again = await m.ingest([{ id, external_account_id: a.externalId, tasks: 7 }]);
    expect(again.json().data).toEqual([{ ...recorded, status: 'duplicate' }]);
    expect(await counts()).toEqual(before);
    expect(await m.usedNow(a.enrollments[0]!)).toBe(5);
  });

  it('rejects an id reused with other content, and each malformed event on its own, leaving the others', async () => {
    ctx.clock.set('2026-06-02T00:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 100 });
    const a = await m.account([promo]);
    const used = m.eventId();
    expect((await m.ingest([{ id: used, account_id: a.accountId, tasks: 1 }])).statusCode).toBe(200);
    const ok = m.eventId();
    const res = await m.ingest([
      { id: used, account_id: a.accountId, tasks: 2 },
      { id: m.eventId(), account_id: a.accountId },
      { id: 'x', account_id: a.accountId, external_account_id: a.externalId, tasks: 1 },
      { account_id: a.accountId, tasks: 1 },
      { id: 'bad', account_id: '00000000-0000-4000-8000-000000000009', tasks: 1 },
      { id: 'bad2', external_account_id: 'nobody-here', tasks: 1 },
      { id: 'old', account_id: a.accountId, tasks: 1, occurred_at: '2026-04-27T23:59:59Z' },
      { id: 'soon', account_id: a.accountId, tasks: 1, occurred_at: '2026-06-02T00:05:01Z' },
      { id: 'frac', account_id: a.accountId, tasks: 1.5 },
      'not an object',
      { id: ok, account_id: a.accountId, tasks: 3, occurred_at: '2026-06-02T00:05:00Z' },
    ]);
    expect(res.statusCode).toBe(200);
    const data = res.json().data as Array<Record<string, unknown>>;
    const rejection = (id: unknown, code: string, title: string, detail: string, pointer: string) => ({
      id,
      status: 'rejected',
      sponsored: 0,
      unsponsored: 0,
      allocations: [],
      error: { code, title, detail, source: { pointer } },
    });
    expect(data.slice(0, 10)).toEqual([
      rejection(
        used,
        'event_id_reused',
        'Event Id Reused',
        'An event with this id was recorded with another account, tasks or occurred_at.',
        '/events/0/id',
      ),
      rejection(
        data[1]!.id,
        'invalid_event',
        'Invalid Event',
        'tasks: Invalid input: expected number, received undefined',
        '/events/1/tasks',
      ),
      rejection(
        'x',
        'invalid_event',
        'Invalid Event',
        'account_id: give exactly one of account_id and external_account_id',
        '/events/2/account_id',
      ),
      rejection(
        null,
        'invalid_event',
        'Invalid Event',
        'id: Invalid input: expected string, received undefined',
        '/events/3/id',
      ),
      rejection(
        'bad',
        'account_not_found',
        'Account Not Found',
        'No account has this account_id.',
        '/events/4/account_id',
      ),
      rejection(
        'bad2',
        'account_not_found',
        'Account Not Found',
        'No account has this external_account_id.',
        '/events/5/external_account_id',
      ),
      rejection(
        'old',
        'event_too_old',
        'Event Too Old',
        'occurred_at is more than 35 days ago.',
        '/events/6/occurred_at',
      ),
      rejection(
        'soon',
        'event_in_future',
        'Event In Future',
        'occurred_at is more than 5 minutes in the future.',
        '/events/7/occurred_at',
      ),
      rejection(
        'frac',
        'invalid_event',
        'Invalid Event',
        'tasks: Invalid input: expected int, received number',
        '/events/8/tasks',
      ),
      rejection(
        null,
        'invalid_event',
        'Invalid Event',
        'Invalid input: expected object, received string',
        '/events/9',
      ),
    ]);
    expect(data[10]).toEqual({
      id: ok,
      status: 'recorded',
      sponsored: 3,
      unsponsored: 0,
      allocations: [{ enrollment_id: a.enrollments[0], promotion_id: promo, tasks: 3 }],
    });
    expect(await m.usedNow(a.enrollments[0]!)).toBe(4);
  });

  it('answers 400, 413 and 415 for a request not of its shape, and counts nothing', async () => {
    const before = await counts();
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ id: `e${i}`, account_id: 'x', tasks: 1 }));
    const cases = [
      await m.ingest(tooMany),
      await m.ingest([]),
      await m.ingest({ events: 'no' }),
      await m.ingest({}),
    ];
    expect(cases.map((r) => r.statusCode)).toEqual([400, 400, 400, 400]);
    expect(cases[0]!.json()).toEqual({
      errors: [
        {
          status: '400',
          code: 'invalid_request',
          title: 'Invalid Request',
          detail: 'events: Too big: expected array to have <=1000 items',
          source: { pointer: '/events' },
        },
      ],
    });
    const huge = await m.ingest([{ id: 'h', account_id: 'x', tasks: 1, pad: 'x'.repeat(1024 * 1024) }]);
    expect(huge.statusCode).toBe(413);
    expect(huge.json().errors[0].code).toBe('payload_too_large');
    const form = await ctx.app.inject({
      method: 'POST',
      url: '/admin/v1/usage_events',
      headers: { authorization: 'Bearer test-admin-token-0123456789abcdef', 'content-type': 'text/plain' },
      payload: 'events',
    });
    expect(form.statusCode).toBe(415);
    expect(await counts()).toEqual(before);
  });

  it('takes 1,000 events in one request, up to 1 MiB', async () => {
    ctx.clock.set('2026-06-03T00:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 600 });
    const a = await m.account([promo]);
    const events = Array.from({ length: 1000 }, (_, i) => ({
      id: `big-${a.accountId}-${i}`,
      account_id: a.accountId,
      tasks: 1,
      occurred_at: '2026-06-03T00:00:00Z',
      note: 'x'.repeat(800),
    }));
    const res = await m.ingest(events);
    expect(res.statusCode).toBe(200);
    const data = res.json().data as Array<{ sponsored: number; unsponsored: number; status: string }>;
    expect(data).toHaveLength(1000);
    expect(data.filter((d) => d.sponsored === 1)).toHaveLength(600);
    expect(data.filter((d) => d.unsponsored === 1)).toHaveLength(400);
    expect(await m.usedNow(a.enrollments[0]!)).toBe(600);
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
