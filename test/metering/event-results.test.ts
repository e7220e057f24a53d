// CONTRACT §12: POST /admin/v1/usage_events answers one result per event — duplicate with the
// first numbers, rejected for a reused id or a malformed event (the others still counted) — and
// a 400, 413 or 415 for a request not of its shape, counting nothing; up to 1,000 events, 1 MiB.
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
