import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { clockCalls } from './helpers.js';

describe('sandbox partners in the admin API (CONTRACT §6, §9)', () => {
  const ctx = useTestApp();
  const c = clockCalls(ctx);

  it('creates a partner live by default and sandbox on request, and shows the flag', async () => {
    const create = (extra: object) =>
      ctx.admin({
        method: 'POST',
        url: '/admin/v1/partners',
        payload: { name: 'Acme', redirect_uris: ['https://acme.example/cb'], ...extra },
      });
    const live = await create({});
    expect(live.statusCode).toBe(201);
    expect(live.json().sandbox).toBe(false);
    const sandbox = await create({ sandbox: true });
    expect(sandbox.statusCode).toBe(201);
    expect(sandbox.json()).toMatchObject({ name: 'Acme', sandbox: true });
    const read = await ctx.admin({ method: 'GET', url: `/admin/v1/partners/${sandbox.json().id}` });
    expect(read.json()).toEqual({
      id: sandbox.json().id,
      name: 'Acme',
      client_id: sandbox.json().client_id,
      redirect_uris: ['https://acme.example/cb'],
      scopes: ['promotions:read', 'promotions:write'],
      sandbox: true,
      status: 'enabled',
      created_at: '2026-04-28T10:00:00Z',
    });
    const bad = await create({ sandbox: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ code: 'invalid_request', source: { pointer: '/sandbox' } });
  });

  it('shows the operator a clock enrollment at its clock’s time', async () => {
    const { partner, appToken } = await c.sandbox();
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 30 });
    const clock = await c.clock(appToken, '2026-01-15T00:00:00Z');
    const account = await c.account(appToken, clock);
    const id = await c.enroll(account.access_token, promo);
    await c.usage(appToken, id, 3);
    const list = async (status?: string) =>
      (
        await ctx.admin({
          method: 'GET',
          url: `/admin/v1/promotions/${promo}/enrollments${status ? `?status=${status}` : ''}`,
        })
      ).json().data;
    expect(await list()).toEqual([
      expect.objectContaining({
        enrollment_id: id,
        account_id: account.account_id,
        status: 'enrolled',
        enrollment_date: '2026-01-15T00:00:00Z',
        expiration_date: '2026-02-13T23:59:59Z',
        tasks_used_this_month: 3,
        billing_cycle_start: '2026-01-15T00:00:00Z',
        billing_cycle_end: '2026-02-15T00:00:00Z',
      }),
    ]);
    expect(await list('expired')).toEqual([]);
    // Past its expiry on the clock (still in the first cycle), and filtered at the clock's time.
    await c.advance(appToken, clock, '2026-02-14T00:00:00Z');
    expect(await list()).toEqual([expect.objectContaining({ status: 'expired', tasks_used_this_month: 3 })]);
    expect(await list('expired')).toEqual([expect.objectContaining({ enrollment_id: id })]);
    expect(await list('enrolled')).toEqual([]);
  });
});
