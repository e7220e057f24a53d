// CONTRACT §12.4: GET /admin/v1/entitlements, and §12.1: the platform's id on accounts.
import { beforeAll, describe, expect, it } from 'vitest';
import { entitlementBatchCounts } from '../../src/usage/entitlements-repository.js';
import type { PartnerFixture } from '../helpers/app.js';
import { useTestApp } from '../helpers/app.js';
import { JSON_HEADERS } from '../helpers/requests.js';
import { meteringFor } from './helpers.js';

const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
let partner: PartnerFixture;
beforeAll(async () => {
  partner = await ctx.fixtures.partner();
});
const m = meteringFor(ctx, () => partner);

describe('GET /admin/v1/entitlements', () => {
  it('lists the sponsoring enrollments in allocation order with what each has left, by either id', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const long = await ctx.fixtures.promotion(partner.id, { durationDays: 90, taskLimitPerMonth: 10 });
    const short = await ctx.fixtures.promotion(partner.id, { durationDays: 30, taskLimitPerMonth: 5 });
    const a = await m.account([long, short]);
    const [longId, shortId] = a.enrollments as [string, string];
    ctx.clock.set('2026-05-01T00:00:00Z');
    await m.ingest([{ id: m.eventId(), account_id: a.accountId, tasks: 7 }]);

    const expected = {
      account_id: a.accountId,
      external_id: a.externalId,
      at: '2026-05-01T00:00:00Z',
      sponsored_remaining: 8,
      enrollments: [
        {
          enrollment_id: shortId,
          promotion_id: short,
          task_limit_per_month: 5,
          tasks_used_this_month: 5,
          remaining: 0,
          billing_cycle_start: '2026-04-28T10:00:00Z',
          billing_cycle_end: '2026-05-28T10:00:00Z',
          expiration_date: '2026-05-27T23:59:59Z',
        },
        {
          enrollment_id: longId,
          promotion_id: long,
          task_limit_per_month: 10,
          tasks_used_this_month: 2,
          remaining: 8,
          billing_cycle_start: '2026-04-28T10:00:00Z',
          billing_cycle_end: '2026-05-28T10:00:00Z',
          expiration_date: '2026-07-26T23:59:59Z',
        },
      ],
    };
    const byId = await m.entitlements({ account_id: a.accountId });
    expect(byId.statusCode).toBe(200);
    expect(byId.json()).toEqual(expected);
    expect((await m.entitlements({ external_account_id: a.externalId })).json()).toEqual(expected);

    // In the next cycle the usage is 0 again; after the short one expires only the long one is left.
    const next = await m.entitlements({ account_id: a.accountId, at: '2026-06-01T00:00:00Z' });
    expect(next.json()).toEqual({
      ...expected,
      at: '2026-06-01T00:00:00Z',
      sponsored_remaining: 10,
      enrollments: [
        {
          ...expected.enrollments[1],
          tasks_used_this_month: 0,
          remaining: 10,
          billing_cycle_start: '2026-05-28T10:00:00Z',
          billing_cycle_end: '2026-06-28T10:00:00Z',
        },
      ],
    });
  });

  it('says null when an enrollment is unlimited, and [] for an account without enrollments', async () => {
    ctx.clock.set('2026-05-02T00:00:00Z');
    const open = await ctx.fixtures.promotion(partner.id, { durationDays: null, taskLimitPerMonth: null });
    const a = await m.account([open]);
    const res = await m.entitlements({ account_id: a.accountId });
    expect(res.json()).toMatchObject({ sponsored_remaining: null, enrollments: [{ remaining: null }] });
    const none = await m.account([]);
    expect((await m.entitlements({ external_account_id: none.externalId })).json()).toEqual({
      account_id: none.accountId,
      external_id: none.externalId,
      at: '2026-05-02T00:00:00Z',
      sponsored_remaining: 0,
      enrollments: [],
    });
  });

  it('answers 404 for an unknown account and 400 for neither or both ids', async () => {
    const unknown = await m.entitlements({ account_id: '00000000-0000-4000-8000-00000000abcd' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      errors: [
        {
          status: '404',
          code: 'account_not_found',
          title: 'Account Not Found',
          detail: 'The requested account was not found.',
        },
      ],
    });
    expect((await m.entitlements({ external_account_id: 'nobody' })).statusCode).toBe(404);
    const oneOf = {
      errors: [
        {
          status: '400',
          code: 'invalid_request',
          title: 'Invalid Request',
          detail: 'Give exactly one of account_id and external_account_id.',
          source: { parameter: 'account_id' },
        },
      ],
    };
    const neither = await m.entitlements({});
    expect(neither.statusCode).toBe(400);
    expect(neither.json()).toEqual(oneOf);
    const both = await m.entitlements({
      account_id: '00000000-0000-4000-8000-00000000abcd',
      external_account_id: 'x',
    });
    expect(both.json()).toEqual(oneOf);
    expect((await m.entitlements({ account_id: 'not-a-uuid' })).statusCode).toBe(400);
    expect((await m.entitlements({ external_account_id: 'has space' })).statusCode).toBe(400);
  });
});

describe('entitlement checks coalesced (issue 27)', () => {
  it('answers each of many concurrent checks exactly as alone, in fewer statements than checks', async () => {
    ctx.clock.set('2026-05-03T00:00:00Z');
    const limited = await ctx.fixtures.promotion(partner.id, { durationDays: 60, taskLimitPerMonth: 6 });
    const open = await ctx.fixtures.promotion(partner.id, { durationDays: null, taskLimitPerMonth: null });
    const both = await m.account([limited, open]);
    const one = await m.account([limited]);
    const none = await m.account([]);
    await m.ingest([
      { id: m.eventId(), account_id: both.accountId, tasks: 4 },
      { id: m.eventId(), account_id: one.accountId, tasks: 9 },
    ]);
    const checks: Array<Record<string, string>> = [
      { account_id: both.accountId },
      { external_account_id: both.externalId },
      { account_id: one.accountId },
      { external_account_id: one.externalId, at: '2026-07-01T00:00:00Z' },
      { external_account_id: none.externalId },
      { account_id: '00000000-0000-4000-8000-00000000abcd' },
      { external_account_id: 'nobody-here' },
      { account_id: both.accountId, at: '2026-05-02T23:59:59Z' },
    ];
    const answer = async (query: Record<string, string>) => {
      const res = await m.entitlements(query);
      return { status: res.statusCode, body: res.json() };
    };
    const alone: Array<{ status: number; body: unknown }> = [];
    for (const query of checks) alone.push(await answer(query));
    expect(alone.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 404, 404, 200]);
    expect(alone[0]?.body).toMatchObject({ sponsored_remaining: null, enrollments: [{ remaining: 2 }, {}] });
    expect(alone[2]?.body).toMatchObject({ sponsored_remaining: 0 });

    const all = Array.from({ length: 4 }, () => checks.map((query, i) => ({ query, i }))).flat();
    const before = { ...entitlementBatchCounts };
    const answers = await Promise.all(all.map(({ query }) => answer(query)));
    expect(entitlementBatchCounts.requests - before.requests).toBe(all.length);
    expect(entitlementBatchCounts.batches - before.batches).toBeGreaterThan(0);
    expect(entitlementBatchCounts.statements - before.statements).toBeLessThan(all.length / 2);
    all.forEach(({ i }, k) => {
      expect({ check: i, ...answers[k] }).toEqual({ check: i, ...alone[i] });
    });
  });
});

describe('external ids on accounts (CONTRACT §12.1)', () => {
  const patch = (id: string, body: unknown) =>
    ctx.admin({
      method: 'PATCH',
      url: `/admin/v1/accounts/${id}`,
      headers: JSON_HEADERS,
      payload: JSON.stringify(body),
    });

  it('are set at creation, changed, cleared, unique and case-sensitive', async () => {
    const a = await m.account();
    const b = await m.account();
    const taken = {
      errors: [
        {
          status: '409',
          code: 'external_id_taken',
          title: 'External Id Taken',
          detail: 'Another account has this external_id.',
          source: { pointer: '/external_id' },
        },
      ],
    };
    const clash = await patch(b.accountId, { external_id: a.externalId });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toEqual(taken);
    const create = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/accounts',
      headers: JSON_HEADERS,
      payload: JSON.stringify({
        email: 'other-ext@example.com',
        password: 'a long password',
        external_id: a.externalId,
      }),
    });
    expect(create.statusCode).toBe(409);
    expect(create.json()).toEqual(taken);

    const upper = a.externalId.toUpperCase();
    const changed = await patch(b.accountId, { external_id: upper });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ id: b.accountId, external_id: upper });
    const read = await ctx.admin({ method: 'GET', url: `/admin/v1/accounts/${b.accountId}` });
    expect(read.json().external_id).toBe(upper);
    const unchanged = await patch(b.accountId, {});
    expect(unchanged.json().external_id).toBe(upper);
    const cleared = await patch(b.accountId, { external_id: null });
    expect(cleared.json().external_id).toBeNull();
    expect((await m.entitlements({ external_account_id: upper })).statusCode).toBe(404);

    const bad = await patch(b.accountId, { external_id: 'no spaces allowed' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].source).toEqual({ pointer: '/external_id' });
    expect((await patch('00000000-0000-4000-8000-00000000abcd', { external_id: 'x' })).statusCode).toBe(404);
    expect((await patch('nope', { external_id: 'x' })).statusCode).toBe(404);
  });

  it('records each change in the audit log', async () => {
    const a = await m.account();
    await patch(a.accountId, { external_id: 'audited-1' });
    const log = await ctx.admin({
      method: 'GET',
      url: `/admin/v1/audit_log?object_type=account&object_id=${a.accountId}`,
    });
    expect(log.statusCode).toBe(200);
    const entries = log.json().data as Array<{ action: string; changes: unknown }>;
    expect(entries.find((e) => e.action === 'account.updated')?.changes).toEqual({
      external_id: { before: a.externalId, after: 'audited-1' },
    });
  });
});
