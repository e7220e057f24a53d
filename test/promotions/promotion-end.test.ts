// CONTRACT §3 rule 10: a promotion's end binds its live enrollments. Regression: moving ends_at
// earlier, or ending a promotion, left its enrollments `enrolled` until their own expiration.
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { JSON_HEADERS as json, requestsFor } from '../helpers/requests.js';

const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });

let partner: PartnerFixture;
let appToken: string;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
  appToken = await ctx.fixtures.appToken(partner.id);
});

const requests = requestsFor(ctx, () => partner);
const enrollNew = async (promotionId: string) => (await requests.enrollNew(promotionId)).enrollmentId;
const recordUsage = (enrollmentId: string) => requests.usage(enrollmentId, { tasks: 1 });

const read = async (enrollmentId: string) => {
  const res = await ctx.app.inject({
    method: 'GET',
    url: `/v2/promotions/${enrollmentId}`,
    headers: bearer(appToken),
  });
  expect(res.statusCode).toBe(200);
  return res.json() as { status: string; expiration_date: string | null };
};

const patch = async (id: string, body: unknown) => {
  const res = await ctx.admin({
    method: 'PATCH',
    url: `/admin/v1/promotions/${id}`,
    headers: json,
    payload: JSON.stringify(body),
  });
  expect(res.statusCode).toBe(200);
  return res.json() as { status: string; ends_at: string | null };
};

const adminStatus = async (promotionId: string) => {
  const res = await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${promotionId}/enrollments` });
  expect(res.statusCode).toBe(200);
  return (res.json().data as Array<{ status: string; expiration_date: string | null }>).map((e) => ({
    status: e.status,
    expiration_date: e.expiration_date,
  }));
};

const expiredEvents = async (enrollmentId: string) => {
  const res = await ctx.admin({ method: 'GET', url: `/admin/v1/enrollments/${enrollmentId}/events` });
  expect(res.statusCode).toBe(200);
  return (res.json().data as Array<{ type: string; data: unknown }>).filter((e) => e.type === 'expired');
};

describe('a promotion ended by status (rule 10)', () => {
  it('expires its live enrollments at once: GET, usage, the admin list and one expired event', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 90, endsAt: null });
    const id = await enrollNew(promo);
    expect(await read(id)).toMatchObject({ status: 'enrolled', expiration_date: '2026-07-26T23:59:59Z' });

    ctx.clock.set('2026-05-10T12:00:00Z');
    const ended = await patch(promo, { status: 'ended' });
    expect(ended).toMatchObject({ status: 'ended', ends_at: '2026-05-10T11:59:59Z' });

    // The same instant as the PATCH: already over.
    expect(await read(id)).toMatchObject({ status: 'expired', expiration_date: '2026-05-10T11:59:59Z' });
    const usage = await recordUsage(id);
    expect(usage.statusCode).toBe(409);
    expect(usage.json().errors[0]).toMatchObject({ code: 'enrollment_not_active' });
    expect(await adminStatus(promo)).toEqual([
      { status: 'expired', expiration_date: '2026-05-10T11:59:59Z' },
    ]);
    expect(await expiredEvents(id)).toEqual([
      expect.objectContaining({ type: 'expired', data: { expiration_date: '2026-05-10T11:59:59Z' } }),
    ]);

    // The sweeper finds nothing more to do: the event came once.
    await ctx.app.expirySweeper.sweepOnce();
    expect(await expiredEvents(id)).toHaveLength(1);
  });

  it('keeps an earlier ends_at as it is', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { endsAt: new Date('2026-05-01T00:00:00Z') });
    ctx.clock.set('2026-05-02T00:00:00Z');
    expect(await patch(promo, { status: 'ended' })).toMatchObject({ ends_at: '2026-05-01T00:00:00Z' });
  });
});

describe('a promotion whose ends_at moves (rule 10)', () => {
  it('shortens live enrollments at once, and the sweeper expires them when the new end passes', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 90 });
    const id = await enrollNew(promo);

    await patch(promo, { ends_at: '2026-05-15T00:00:00Z' });
    expect(await read(id)).toEqual(
      expect.objectContaining({ status: 'enrolled', expiration_date: '2026-05-15T00:00:00Z' }),
    );
    expect(await adminStatus(promo)).toEqual([
      { status: 'enrolled', expiration_date: '2026-05-15T00:00:00Z' },
    ]);

    ctx.clock.set('2026-05-15T00:00:00Z'); // the last valid instant
    expect((await read(id)).status).toBe('enrolled');
    ctx.clock.set('2026-05-15T00:00:01Z');
    expect((await read(id)).status).toBe('expired');
    expect((await recordUsage(id)).statusCode).toBe(409);
    expect(await ctx.app.expirySweeper.sweepOnce()).toMatchObject({ expired: 1 });
    expect(await expiredEvents(id)).toEqual([
      expect.objectContaining({ data: { expiration_date: '2026-05-15T00:00:00Z' } }),
    ]);
  });

  it('expires at once when moved into the past', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 90 });
    const id = await enrollNew(promo);
    ctx.clock.set('2026-05-20T10:00:00Z');
    await patch(promo, { ends_at: '2026-05-01T00:00:00Z' });
    expect(await read(id)).toMatchObject({ status: 'expired', expiration_date: '2026-05-01T00:00:00Z' });
    expect(await expiredEvents(id)).toHaveLength(1);
  });

  it('never lengthens an enrollment beyond its own duration_days when moved later', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 30 });
    const id = await enrollNew(promo);
    await patch(promo, { ends_at: '2026-05-05T00:00:00Z' });
    expect((await read(id)).expiration_date).toBe('2026-05-05T00:00:00Z');
    await patch(promo, { ends_at: '2027-01-01T00:00:00Z' });
    expect((await read(id)).expiration_date).toBe('2026-05-27T23:59:59Z');
  });

  it('binds an enrollment without an expiration of its own', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: null });
    const id = await enrollNew(promo);
    expect((await read(id)).expiration_date).toBeNull();
    await patch(promo, { ends_at: '2026-06-01T00:00:00Z' });
    expect((await read(id)).expiration_date).toBe('2026-06-01T00:00:00Z');
  });
});

describe('a paused promotion (rule 10)', () => {
  it('only stops new enrollments: live ones stay enrolled and metered', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 90 });
    const id = await enrollNew(promo);
    await patch(promo, { status: 'paused' });
    expect(await read(id)).toMatchObject({ status: 'enrolled', expiration_date: '2026-07-26T23:59:59Z' });
    expect((await recordUsage(id)).statusCode).toBe(200);
    expect(await expiredEvents(id)).toEqual([]);
  });
});
