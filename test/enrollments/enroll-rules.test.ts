// POST /v2/promotions refused by a rule of CONTRACT §3: 409 already_enrolled (rule 4), promotion_full
// (rule 5) and promotion_not_active (rule 6), and enrolling inside the window.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { requestsFor } from '../helpers/requests.js';

// Tokens outlive the clock moves of these tests (expiry of tokens has its own test).
const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });

let partner: PartnerFixture;
let account: { id: string };
let userToken: string;
let appToken: string;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
  account = await ctx.fixtures.account();
  userToken = await ctx.fixtures.userToken(partner.id, account.id);
  appToken = await ctx.fixtures.appToken(partner.id);
});

const { post: enroll, user: freshUser } = requestsFor(ctx, () => partner);

describe('POST /v2/promotions', () => {
  it('answers 409 already_enrolled to a second enrollment (rule 4)', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const { token } = await freshUser();
    expect((await enroll(token, { promotion_id: promo })).statusCode).toBe(201);
    const res = await enroll(token, { promotion_id: promo });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      errors: [
        {
          status: '409',
          code: 'already_enrolled',
          title: 'Already Enrolled',
          detail: 'The provided account is already enrolled in the specified promotion.',
        },
      ],
    });
  });

  it('keeps refusing after unenrollment or expiry unless re-enrollment is allowed (rule 4)', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const strict = await ctx.fixtures.promotion(partner.id, { durationDays: 1 });
    const lenient = await ctx.fixtures.promotion(partner.id, { durationDays: 1, allowReenrollment: true });
    const { token } = await freshUser();
    const first = (await enroll(token, { promotion_id: lenient })).json().enrollment_id;
    // Live: refused even with re-enrollment allowed.
    expect((await enroll(token, { promotion_id: lenient })).statusCode).toBe(409);
    // Unenrolled: allowed again on the lenient promotion.
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${first}`,
      headers: bearer(appToken),
    });
    expect(del.statusCode).toBe(204);
    const second = await enroll(token, { promotion_id: lenient });
    expect(second.statusCode).toBe(201);
    expect(second.json().enrollment_id).not.toBe(first);

    // Strict: expired and unenrolled both still count.
    const s1 = (await enroll(token, { promotion_id: strict })).json().enrollment_id;
    ctx.clock.set('2026-04-29T00:00:00Z');
    const expiredView = await ctx.app.inject({
      method: 'GET',
      url: `/v2/promotions/${s1}`,
      headers: bearer(token),
    });
    expect(expiredView.json().status).toBe('expired');
    // The same code, and a detail that says why (issue 28): the enrollment itself is over.
    const refused = await enroll(token, { promotion_id: strict });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({
      errors: [
        {
          status: '409',
          code: 'already_enrolled',
          title: 'Already Enrolled',
          detail:
            "The account's earlier enrollment in this promotion has ended (unenrolled or expired) and the promotion does not allow re-enrollment.",
        },
      ],
    });
    // Expired on the lenient promotion: allowed again.
    expect((await enroll(token, { promotion_id: lenient })).statusCode).toBe(201);
    ctx.clock.set('2026-04-28T10:00:00Z');
  });

  it('says in the 409 that re-enrollment is what was refused after an unenrollment, with an Idempotency-Key too (rule 4)', async () => {
    const strict = await ctx.fixtures.promotion(partner.id);
    const { token } = await freshUser();
    const first = (await enroll(token, { promotion_id: strict })).json().enrollment_id;
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${first}`,
      headers: bearer(appToken),
    });
    expect(del.statusCode).toBe(204);
    const forbidden = {
      errors: [
        {
          status: '409',
          code: 'already_enrolled',
          title: 'Already Enrolled',
          detail:
            "The account's earlier enrollment in this promotion has ended (unenrolled or expired) and the promotion does not allow re-enrollment.",
        },
      ],
    };
    for (const headers of [{}, { 'idempotency-key': 'again-after-unenroll' }] as Record<string, string>[]) {
      const res = await enroll(token, { promotion_id: strict }, headers);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual(forbidden);
    }
    // The keyed refusal is replayed as it was answered.
    const replay = await enroll(
      token,
      { promotion_id: strict },
      { 'idempotency-key': 'again-after-unenroll' },
    );
    expect(replay.statusCode).toBe(409);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(forbidden);
  });

  it('answers 409 promotion_full once max_enrollments is reached (rule 5), unenrolling frees nothing', async () => {
    const promo = await ctx.fixtures.promotion(partner.id, { maxEnrollments: 2 });
    const users = await Promise.all([freshUser(), freshUser(), freshUser()]);
    const first = await enroll(users[0]!.token, { promotion_id: promo });
    expect(first.statusCode).toBe(201);
    expect((await enroll(users[1]!.token, { promotion_id: promo })).statusCode).toBe(201);
    await ctx.app.inject({
      method: 'DELETE',
      url: first.headers.location as string,
      headers: bearer(appToken),
    });
    const res = await enroll(users[2]!.token, { promotion_id: promo });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0]).toEqual({
      status: '409',
      code: 'promotion_full',
      title: 'Promotion Full',
      detail: 'The promotion has reached its maximum number of enrollments.',
    });
    const [row] = await queryRows<{ enrollments_count: number }>(
      ctx.app.db,
      sql`select enrollments_count from promotions where id = ${promo}`,
    );
    expect(row?.enrollments_count).toBe(2);
  });

  it.each([
    [{ status: 'paused' as const }, 'The promotion is paused.'],
    [{ status: 'ended' as const }, 'The promotion has ended.'],
    [
      { startsAt: new Date('2026-05-01T00:00:00Z') },
      'The promotion has not started yet; enrollment opens at 2026-05-01T00:00:00Z.',
    ],
    [{ endsAt: new Date('2026-04-28T10:00:00Z') }, 'The promotion has ended.'],
  ])('answers 409 promotion_not_active for %j (rule 6)', async (fields, detail) => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, fields);
    const res = await enroll(userToken, { promotion_id: promo });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0]).toEqual({
      status: '409',
      code: 'promotion_not_active',
      title: 'Promotion Not Active',
      detail,
    });
  });

  it('enrolls inside the window [starts_at, ends_at)', async () => {
    ctx.clock.set('2026-05-01T00:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, {
      startsAt: new Date('2026-05-01T00:00:00Z'),
      endsAt: new Date('2026-05-02T00:00:00Z'),
    });
    const { token } = await freshUser();
    expect((await enroll(token, { promotion_id: promo })).statusCode).toBe(201);
    ctx.clock.set('2026-04-28T10:00:00Z');
  });
});
