import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { JSON_HEADERS as json, requestsFor } from '../helpers/requests.js';

// Tokens outlive the clock moves of these tests.
const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });

let partner: PartnerFixture;
let appToken: string;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
  appToken = await ctx.fixtures.appToken(partner.id);
});

const requests = requestsFor(ctx, () => partner);
const { usage } = requests;

/** Enrolls a new account of `partner` into a new promotion at the clock's time; returns the enrollment id. */
async function enrollNew(promotion: Parameters<typeof ctx.fixtures.promotion>[1] = {}): Promise<string> {
  return (await requests.enrollNew(await ctx.fixtures.promotion(partner.id, promotion))).enrollmentId;
}

/** GET /v2 with an app token minted at the clock's time (the clock jumps years here). */
const detail = async (enrollmentId: string) =>
  (
    await ctx.app.inject({
      method: 'GET',
      url: `/v2/promotions/${enrollmentId}`,
      headers: bearer(await ctx.fixtures.appToken(partner.id)),
    })
  ).json();

const events = async (enrollmentId: string) =>
  (
    await ctx.admin({
      method: 'GET',
      url: `/admin/v1/enrollments/${encodeURIComponent(enrollmentId)}/events`,
    })
  ).json().data as Array<{ type: string; actor_type: string; actor_id: string | null; data: unknown }>;

const ledger = (enrollmentId: string) =>
  queryRows<{ tasks_requested: number; tasks_accepted: number; idempotency_key: string | null }>(
    ctx.app.db,
    sql`select tasks_requested, tasks_accepted, idempotency_key from usage_ledger
        where enrollment_id = ${enrollmentId.split(':')[1]} order by recorded_at, tasks_requested`,
  );

describe('POST /admin/v1/enrollments/{enrollment_id}/usage', () => {
  it('accepts what fits under the limit and rejects the rest (rule 3)', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await enrollNew({ taskLimitPerMonth: 5 });

    const first = await usage(id, { tasks: 3 });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      accepted: 3,
      rejected: 0,
      tasks_used_this_month: 3,
      task_limit_per_month: 5,
    });
    expect((await usage(id, { tasks: 4 })).json()).toEqual({
      accepted: 2,
      rejected: 2,
      tasks_used_this_month: 5,
      task_limit_per_month: 5,
    });
    expect((await usage(id, { tasks: 1 })).json()).toEqual({
      accepted: 0,
      rejected: 1,
      tasks_used_this_month: 5,
      task_limit_per_month: 5,
    });
    expect(await detail(id)).toMatchObject({ tasks_used_this_month: 5, task_limit_per_month: 5 });
    expect((await ledger(id)).map((r) => [r.tasks_requested, r.tasks_accepted])).toEqual([
      [1, 0],
      [3, 3],
      [4, 2],
    ]);
  });

  it('records usage_recorded events and one limit_reached, by the admin', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await enrollNew({ taskLimitPerMonth: 5 });
    ctx.clock.set('2026-04-28T11:00:00Z');
    await usage(id, { tasks: 4, idempotency_key: 'run-1' });
    ctx.clock.set('2026-04-28T12:00:00Z');
    await usage(id, { tasks: 4 });
    ctx.clock.set('2026-04-28T13:00:00Z');
    await usage(id, { tasks: 4 });
    const trail = await events(id);
    expect(trail.map((e) => e.type).sort()).toEqual(
      ['enrolled', 'limit_reached', 'usage_recorded', 'usage_recorded', 'usage_recorded'].sort(),
    );
    expect(trail[0]).toMatchObject({ type: 'enrolled', actor_type: 'partner', actor_id: partner.id });
    expect(trail[1]).toMatchObject({
      type: 'usage_recorded',
      actor_type: 'admin',
      actor_id: null,
      data: {
        tasks: 4,
        accepted: 4,
        rejected: 0,
        billing_cycle_start: '2026-04-28T10:00:00Z',
        occurred_at: '2026-04-28T11:00:00Z',
        idempotency_key: 'run-1',
      },
    });
    const reached = trail.filter((e) => e.type === 'limit_reached');
    expect(reached).toEqual([
      expect.objectContaining({
        actor_type: 'admin',
        data: { task_limit_per_month: 5, billing_cycle_start: '2026-04-28T10:00:00Z' },
      }),
    ]);
  });

  it('accepts everything when the limit is null (unlimited)', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await enrollNew({ taskLimitPerMonth: null });
    expect((await usage(id, { tasks: 1_000_000 })).json()).toEqual({
      accepted: 1_000_000,
      rejected: 0,
      tasks_used_this_month: 1_000_000,
      task_limit_per_month: null,
    });
    expect((await usage(id, { tasks: 7 })).json()).toMatchObject({
      accepted: 7,
      tasks_used_this_month: 1_000_007,
    });
    expect((await events(id)).some((e) => e.type === 'limit_reached')).toBe(false);
  });

  it('rejects everything when the limit is 0', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await enrollNew({ taskLimitPerMonth: 0 });
    expect((await usage(id, { tasks: 2 })).json()).toEqual({
      accepted: 0,
      rejected: 2,
      tasks_used_this_month: 0,
      task_limit_per_month: 0,
    });
  });

  it('counts a repeated idempotency_key once and answers as the first time', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await enrollNew({ taskLimitPerMonth: 5 });
    await usage(id, { tasks: 2 });
    const first = await usage(id, { tasks: 4, idempotency_key: 'batch-7' });
    expect(first.json()).toEqual({
      accepted: 3,
      rejected: 1,
      tasks_used_this_month: 5,
      task_limit_per_month: 5,
    });
    const again = await usage(id, { tasks: 4, idempotency_key: 'batch-7' });
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(first.body);
    // The key identifies the batch: another count under the same key changes nothing either.
    expect((await usage(id, { tasks: 1, idempotency_key: 'batch-7' })).json()).toEqual(first.json());
    expect(await ledger(id)).toHaveLength(2);
    expect((await events(id)).filter((e) => e.type === 'usage_recorded')).toHaveLength(2);

    // Keys are per enrollment.
    const other = await enrollNew({ taskLimitPerMonth: 5 });
    expect((await usage(other, { tasks: 4, idempotency_key: 'batch-7' })).json()).toMatchObject({
      accepted: 4,
    });
  });

  it('answers a repeated key as the first time even after the enrollment expired', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await enrollNew({ durationDays: 1, taskLimitPerMonth: 5 });
    const first = await usage(id, { tasks: 2, idempotency_key: 'late-retry' });
    ctx.clock.set('2026-04-29T00:00:00Z');
    const again = await usage(id, { tasks: 2, idempotency_key: 'late-retry' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
  });

  it('rejects usage after expiry entirely with 409 enrollment_not_active (rule 3)', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await enrollNew({ durationDays: 1, taskLimitPerMonth: 5 });
    ctx.clock.set('2026-04-28T23:59:59Z');
    expect((await usage(id, { tasks: 1 })).json()).toMatchObject({ accepted: 1 });
    ctx.clock.set('2026-04-29T00:00:00Z');
    const res = await usage(id, { tasks: 1 });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      errors: [
        {
          status: '409',
          code: 'enrollment_not_active',
          title: 'Enrollment Not Active',
          detail: 'The enrollment expired on 2026-04-28T23:59:59Z.',
        },
      ],
    });
    // Tasks that ran before the expiry may still be reported.
    expect((await usage(id, { tasks: 1, occurred_at: '2026-04-28T20:00:00Z' })).json()).toMatchObject({
      accepted: 1,
    });
    expect((await ledger(id)).map((r) => r.tasks_accepted)).toEqual([1, 1]);
  });

  it('rejects usage after unenrollment entirely with 409 enrollment_not_active (rule 3)', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await enrollNew({ taskLimitPerMonth: 5 });
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${id}`,
      headers: bearer(appToken),
    });
    expect(del.statusCode).toBe(204);
    const res = await usage(id, { tasks: 1, occurred_at: '2026-04-28T10:00:00Z' });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0]).toMatchObject({
      code: 'enrollment_not_active',
      detail: 'The enrollment was unenrolled on 2026-04-28T10:00:00Z.',
    });
    expect(await ledger(id)).toEqual([]);
  });

  it('counts occurred_at in a past cycle against that cycle (rules 2 and 3)', async () => {
    ctx.clock.set('2026-01-31T12:00:00Z');
    const id = await enrollNew({ durationDays: null, taskLimitPerMonth: 5 });
    ctx.clock.set('2026-03-05T09:00:00Z'); // cycle 1: Feb 28 12:00 → Mar 31 12:00
    const past = await usage(id, { tasks: 4, occurred_at: '2026-02-27T08:00:00Z' }); // cycle 0
    expect(past.json()).toEqual({
      accepted: 4,
      rejected: 0,
      tasks_used_this_month: 0,
      task_limit_per_month: 5,
    });
    expect((await usage(id, { tasks: 3, occurred_at: '2026-02-28T11:59:59Z' })).json()).toEqual({
      accepted: 1,
      rejected: 2,
      tasks_used_this_month: 0,
      task_limit_per_month: 5,
    });
    // The current cycle has its own limit.
    expect((await usage(id, { tasks: 5, occurred_at: '2026-02-28T12:00:00Z' })).json()).toEqual({
      accepted: 5,
      rejected: 0,
      tasks_used_this_month: 5,
      task_limit_per_month: 5,
    });
    const counters = await queryRows<{ start: string; used: number }>(
      ctx.app.db,
      sql`select to_char(cycle_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as start, used
          from usage_counters where enrollment_id = ${id.split(':')[1]} order by cycle_start`,
    );
    expect(counters).toEqual([
      { start: '2026-01-31T12:00:00', used: 5 },
      { start: '2026-02-28T12:00:00', used: 5 },
    ]);
  });

  it('answers 400 to an occurred_at in the future or before the enrollment', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await enrollNew();
    const future = await usage(id, { tasks: 1, occurred_at: '2026-04-28T10:00:01Z' });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0]).toEqual({
      status: '400',
      code: 'invalid_request',
      title: 'Invalid Request',
      detail: 'occurred_at must not be in the future.',
      source: { pointer: '/occurred_at' },
    });
    const before = await usage(id, { tasks: 1, occurred_at: '2026-04-28T09:59:59Z' });
    expect(before.statusCode).toBe(400);
    expect(before.json().errors[0]).toMatchObject({
      detail: 'occurred_at must not be before the enrollment date.',
      source: { pointer: '/occurred_at' },
    });
    expect(await ledger(id)).toEqual([]);
  });

  it('answers 400 to a bad body', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await enrollNew();
    for (const body of [
      { tasks: 0 },
      { tasks: 1_000_001 },
      { tasks: 1.5 },
      {},
      { tasks: 1, idempotency_key: '' },
      { tasks: 1, occurred_at: 'yesterday' },
    ]) {
      const res = await usage(id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors[0].code).toBe('invalid_request');
    }
  });

  it('answers 404 enrollment_not_found to unknown and malformed ids', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    for (const id of [`${promo}:6b1f0c3e-9d2a-4c5b-8e7f-0a1b2c3d4e5f`, 'nonsense', `${promo}:not-a-uuid`]) {
      const res = await usage(id, { tasks: 1 });
      expect(res.statusCode).toBe(404);
      expect(res.json().errors[0]).toMatchObject({ code: 'enrollment_not_found' });
    }
  });

  it('needs the admin token', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/admin/v1/enrollments/x:y/usage',
      headers: { ...json, ...bearer(appToken) },
      payload: { tasks: 1 },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('billing cycles on the API (rule 2)', () => {
  it('resets tasks_used_this_month at a month-end-clamped cycle boundary and shows the new bounds', async () => {
    ctx.clock.set('2026-01-31T23:59:59Z');
    const id = await enrollNew({ durationDays: null, taskLimitPerMonth: 10 });
    expect((await usage(id, { tasks: 4 })).json()).toMatchObject({ accepted: 4, tasks_used_this_month: 4 });
    expect(await detail(id)).toMatchObject({
      tasks_used_this_month: 4,
      billing_cycle_start: '2026-01-31T23:59:59Z',
      billing_cycle_end: '2026-02-28T23:59:59Z',
    });

    ctx.clock.set('2026-02-28T23:59:58Z');
    expect(await detail(id)).toMatchObject({
      tasks_used_this_month: 4,
      billing_cycle_end: '2026-02-28T23:59:59Z',
    });

    ctx.clock.set('2026-02-28T23:59:59Z');
    expect(await detail(id)).toMatchObject({
      tasks_used_this_month: 0,
      billing_cycle_start: '2026-02-28T23:59:59Z',
      billing_cycle_end: '2026-03-31T23:59:59Z',
    });
    // The new cycle has the whole limit again.
    expect((await usage(id, { tasks: 12 })).json()).toEqual({
      accepted: 10,
      rejected: 2,
      tasks_used_this_month: 10,
      task_limit_per_month: 10,
    });

    ctx.clock.set('2026-03-31T23:59:59Z');
    expect(await detail(id)).toMatchObject({
      tasks_used_this_month: 0,
      billing_cycle_start: '2026-03-31T23:59:59Z',
      billing_cycle_end: '2026-04-30T23:59:59Z',
    });
  });

  it('clamps to Feb 29 in a leap year', async () => {
    ctx.clock.set('2028-01-30T08:00:00Z');
    const id = await enrollNew({ durationDays: null });
    ctx.clock.set('2028-02-29T08:00:00Z');
    expect(await detail(id)).toMatchObject({
      billing_cycle_start: '2028-02-29T08:00:00Z',
      billing_cycle_end: '2028-03-30T08:00:00Z',
    });
  });
});
