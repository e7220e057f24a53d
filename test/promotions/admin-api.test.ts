import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { JSON_HEADERS as json, requestsFor } from '../helpers/requests.js';

const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });

let partner: PartnerFixture;
let appToken: string;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
  appToken = await ctx.fixtures.appToken(partner.id);
});

const { enrollNew } = requestsFor(ctx, () => partner);

const patch = (id: string, body: unknown) =>
  ctx.admin({
    method: 'PATCH',
    url: `/admin/v1/promotions/${id}`,
    headers: json,
    payload: JSON.stringify(body),
  });

describe('PATCH /admin/v1/promotions/{promotion_id}', () => {
  it('changes status, window and limits, leaving the other fields as they are', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await ctx.fixtures.promotion(partner.id, { durationDays: 90, taskLimitPerMonth: 5 });
    ctx.clock.set('2026-04-28T12:00:00Z');
    const res = await patch(id, {
      status: 'paused',
      starts_at: '2026-05-01T00:00:00.900Z',
      ends_at: '2026-12-31T00:00:00Z',
      task_limit_per_month: 750,
      max_enrollments: 1000,
      name: 'Renamed',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id,
      partner_id: partner.id,
      name: 'Renamed',
      status: 'paused',
      starts_at: '2026-05-01T00:00:00Z',
      ends_at: '2026-12-31T00:00:00Z',
      duration_days: 90,
      task_limit_per_month: 750,
      max_enrollments: 1000,
      allow_reenrollment: false,
      enrollments_count: 0,
      created_at: '2026-04-28T10:00:00Z',
      updated_at: '2026-04-28T12:00:00Z',
    });
    const cleared = await patch(id, { ends_at: null, max_enrollments: null, status: 'active' });
    expect(cleared.json()).toMatchObject({
      ends_at: null,
      max_enrollments: null,
      status: 'active',
      name: 'Renamed',
    });
    const read = await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${id}` });
    expect(read.json()).toEqual(cleared.json());
  });

  it('takes effect on enrolling at once (rule 6)', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await ctx.fixtures.promotion(partner.id);
    await patch(id, { status: 'paused' });
    const account = await ctx.fixtures.account();
    const token = await ctx.fixtures.userToken(partner.id, account.id);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: { ...json, ...bearer(token) },
      payload: { promotion_id: id },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0]).toMatchObject({
      code: 'promotion_not_active',
      detail: 'The promotion is paused.',
    });
  });

  it('checks the window against the stored values', async () => {
    const id = await ctx.fixtures.promotion(partner.id, {
      startsAt: new Date('2026-05-01T00:00:00Z'),
      endsAt: new Date('2026-06-01T00:00:00Z'),
    });
    const early = await patch(id, { ends_at: '2026-05-01T00:00:00Z' });
    expect(early.statusCode).toBe(400);
    expect(early.json()).toEqual({
      errors: [
        {
          status: '400',
          code: 'invalid_request',
          title: 'Invalid Request',
          detail: 'ends_at must be after starts_at.',
          source: { pointer: '/ends_at' },
        },
      ],
    });
    const late = await patch(id, { starts_at: '2026-07-01T00:00:00Z' });
    expect(late.statusCode).toBe(400);
    expect(late.json().errors[0].source).toEqual({ pointer: '/starts_at' });
    // Both moved together is fine.
    expect(
      (await patch(id, { starts_at: '2026-07-01T00:00:00Z', ends_at: '2026-08-01T00:00:00Z' })).statusCode,
    ).toBe(200);
    expect((await patch(id, { starts_at: null })).statusCode).toBe(200);
  });

  it('refuses negative limits and unknown statuses with 400', async () => {
    const id = await ctx.fixtures.promotion(partner.id);
    for (const body of [
      { task_limit_per_month: -1 },
      { max_enrollments: -1 },
      { duration_days: 0 },
      { status: 'archived' },
      { ends_at: 'tomorrow' },
      { name: '' },
    ]) {
      const res = await patch(id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors[0].code).toBe('invalid_request');
    }
  });

  it('refuses max_enrollments below enrollments_count with 409, and keeps the promotion as it was', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await ctx.fixtures.promotion(partner.id, { maxEnrollments: 5 });
    await enrollNew(id);
    await enrollNew(id);
    await enrollNew(id);
    const before = (await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${id}` })).json();
    const res = await patch(id, { max_enrollments: 2, status: 'paused' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      errors: [
        {
          status: '409',
          code: 'max_enrollments_below_count',
          title: 'Max Enrollments Below Count',
          detail: 'max_enrollments (2) is below enrollments_count (3).',
          source: { pointer: '/max_enrollments' },
        },
      ],
    });
    expect((await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${id}` })).json()).toEqual(before);
    expect((await patch(id, { max_enrollments: 3 })).json()).toMatchObject({
      max_enrollments: 3,
      enrollments_count: 3,
    });
  });

  it('recounts enrollments when an unbudgeted promotion gets a budget, so rule 5 holds from then on', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await ctx.fixtures.promotion(partner.id, { maxEnrollments: null });
    const first = await enrollNew(id);
    await enrollNew(id);
    // Unenrolled ones count too: max_enrollments is a budget.
    await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${first.enrollmentId}`,
      headers: bearer(appToken),
    });

    expect((await patch(id, { max_enrollments: 1 })).statusCode).toBe(409);
    const res = await patch(id, { max_enrollments: 3 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ max_enrollments: 3, enrollments_count: 2 });
    const [row] = await queryRows<{ enrollments_count: number }>(
      ctx.app.db,
      sql`select enrollments_count from promotions where id = ${id}`,
    );
    expect(row!.enrollments_count).toBe(2);

    await enrollNew(id);
    const account = await ctx.fixtures.account();
    const token = await ctx.fixtures.userToken(partner.id, account.id);
    const full = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: { ...json, ...bearer(token) },
      payload: { promotion_id: id },
    });
    expect(full.statusCode).toBe(409);
    expect(full.json().errors[0].code).toBe('promotion_full');
  });

  it('answers 404 promotion_not_found to an unknown promotion', async () => {
    const res = await patch('no_such_promo', { status: 'paused' });
    expect(res.statusCode).toBe(404);
    expect(res.json().errors[0].code).toBe('promotion_not_found');
  });
});

describe('GET /admin/v1/promotions/{promotion_id}/enrollments', () => {
  it('lists every enrollment with its status and the usage of its current cycle, page by page', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await ctx.fixtures.promotion(partner.id, { durationDays: 1, taskLimitPerMonth: 50 });
    const made: Array<{ enrollmentId: string; accountId: string }> = [];
    for (let i = 0; i < 5; i++) made.push(await enrollNew(id));
    await ctx.admin({
      method: 'POST',
      url: `/admin/v1/enrollments/${made[0]!.enrollmentId}/usage`,
      headers: json,
      payload: { tasks: 7 },
    });
    await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${made[1]!.enrollmentId}`,
      headers: bearer(appToken),
    });

    const seen: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await ctx.admin({
        method: 'GET',
        url: `/admin/v1/promotions/${id}/enrollments?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.data.length).toBeLessThanOrEqual(2);
      seen.push(...body.data);
      cursor = body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    const ids = seen.map((e) => e.enrollment_id as string);
    expect(ids).toEqual([...ids].sort((a, b) => (a.split(':')[1]! < b.split(':')[1]! ? -1 : 1)));
    expect(new Set(ids)).toEqual(new Set(made.map((m) => m.enrollmentId)));

    const first = seen.find((e) => e.enrollment_id === made[0]!.enrollmentId);
    expect(first).toEqual({
      enrollment_id: made[0]!.enrollmentId,
      promotion_id: id,
      account_id: made[0]!.accountId,
      partner_id: partner.id,
      status: 'enrolled',
      enrollment_date: '2026-04-28T10:00:00Z',
      expiration_date: '2026-04-28T23:59:59Z',
      unenrolled_at: null,
      task_limit_per_month: 50,
      tasks_used_this_month: 7,
      billing_cycle_start: '2026-04-28T10:00:00Z',
      billing_cycle_end: '2026-05-28T10:00:00Z',
    });
    expect(seen.find((e) => e.enrollment_id === made[1]!.enrollmentId)).toMatchObject({
      status: 'unenrolled',
      unenrolled_at: '2026-04-28T10:00:00Z',
    });

    // Status filters, with expiry computed at read time.
    const list = async (query: string) =>
      (await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${id}/enrollments?${query}` })).json()
        .data as Array<{
        status: string;
      }>;
    expect((await list('status=enrolled')).length).toBe(4);
    expect((await list('status=unenrolled')).length).toBe(1);
    expect((await list('status=expired')).length).toBe(0);
    ctx.clock.set('2026-04-29T00:00:00Z');
    expect((await list('status=expired')).map((e) => e.status)).toEqual([
      'expired',
      'expired',
      'expired',
      'expired',
    ]);
    expect(await list('status=enrolled')).toEqual([]);
    expect((await list('status=unenrolled')).length).toBe(1);
  });

  it('answers 400 to a limit over 100, a bad cursor or status, and 404 to an unknown promotion', async () => {
    const id = await ctx.fixtures.promotion(partner.id);
    for (const query of [
      'limit=101',
      'limit=0',
      'cursor=garbage',
      'status=gone',
      `cursor=${Buffer.from('{"after":"x"}').toString('base64url')}`,
    ]) {
      const res = await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${id}/enrollments?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().errors[0].code).toBe('invalid_request');
    }
    expect(
      (await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${id}/enrollments?limit=100` })).json(),
    ).toEqual({ data: [], next_cursor: null });
    const missing = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/nope/enrollments' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().errors[0].code).toBe('promotion_not_found');
  });
});

describe('GET /admin/v1/enrollments/{enrollment_id}/events', () => {
  it('lists the audit trail oldest first, page by page, unenrolled enrollments included', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const id = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 100 });
    const { enrollmentId } = await enrollNew(id);
    for (let i = 1; i <= 4; i++) {
      ctx.clock.set(`2026-04-28T1${i}:00:00Z`);
      await ctx.admin({
        method: 'POST',
        url: `/admin/v1/enrollments/${enrollmentId}/usage`,
        headers: json,
        payload: { tasks: i },
      });
    }
    ctx.clock.set('2026-04-28T15:00:00Z');
    await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${enrollmentId}`,
      headers: bearer(appToken),
    });

    const seen: Array<{ type: string; created_at: string; data: Record<string, unknown> }> = [];
    let cursor: string | null = null;
    do {
      const res = await ctx.admin({
        method: 'GET',
        url: `/admin/v1/enrollments/${enrollmentId}/events?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().data);
      cursor = res.json().next_cursor;
    } while (cursor);
    expect(seen.map((e) => [e.type, e.created_at])).toEqual([
      ['enrolled', '2026-04-28T10:00:00Z'],
      ['usage_recorded', '2026-04-28T11:00:00Z'],
      ['usage_recorded', '2026-04-28T12:00:00Z'],
      ['usage_recorded', '2026-04-28T13:00:00Z'],
      ['usage_recorded', '2026-04-28T14:00:00Z'],
      ['unenrolled', '2026-04-28T15:00:00Z'],
    ]);
    expect(seen.map((e) => e.data.tasks ?? null)).toEqual([null, 1, 2, 3, 4, null]);
  });

  it('answers 404 to unknown and malformed enrollment ids, 400 to a bad cursor or limit', async () => {
    const id = await ctx.fixtures.promotion(partner.id);
    for (const eid of [`${id}:6b1f0c3e-9d2a-4c5b-8e7f-0a1b2c3d4e5f`, 'garbage']) {
      const res = await ctx.admin({ method: 'GET', url: `/admin/v1/enrollments/${eid}/events` });
      expect(res.statusCode).toBe(404);
      expect(res.json().errors[0].code).toBe('enrollment_not_found');
    }
    const { enrollmentId } = await enrollNew(id);
    for (const query of [
      'limit=101',
      'cursor=%%%',
      `cursor=${Buffer.from('{"t":"x","id":"y"}').toString('base64url')}`,
    ]) {
      const res = await ctx.admin({
        method: 'GET',
        url: `/admin/v1/enrollments/${enrollmentId}/events?${query}`,
      });
      expect(res.statusCode, query).toBe(400);
    }
  });
});
