// GET and DELETE /v2/promotions/{enrollment_id} (CONTRACT §4.5), and the errors every route shares.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { requestsFor } from '../helpers/requests.js';

// Tokens outlive the clock moves of these tests (expiry of tokens has its own test).
const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

let partner: PartnerFixture;
let other: PartnerFixture;
let appToken: string;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
  other = await ctx.fixtures.partner();
  appToken = await ctx.fixtures.appToken(partner.id);
});

const { post: enroll, user: freshUser } = requestsFor(ctx, () => partner);

describe('GET /v2/promotions/{enrollment_id}', () => {
  let promo: string;
  let mine: { accountId: string; token: string };
  let enrollmentId: string;

  beforeAll(async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    promo = await ctx.fixtures.promotion(partner.id, { durationDays: 90, taskLimitPerMonth: 5 });
    mine = await freshUser();
    enrollmentId = (await enroll(mine.token, { promotion_id: promo })).json().enrollment_id;
  });

  const get = (token: string | null, id = enrollmentId) =>
    ctx.app.inject({ method: 'GET', url: `/v2/promotions/${id}`, headers: token ? bearer(token) : {} });

  it('shows the partner’s app token every enrollment of the partner', async () => {
    const res = await get(appToken);
    expect(res.statusCode).toBe(200);
    expect(res.json().enrollment_id).toBe(enrollmentId);
  });

  it('answers 404 to another account’s user token and to another partner, exactly like a missing id (rule 7)', async () => {
    const stranger = await freshUser();
    const otherUser = await ctx.fixtures.userToken(other.id, mine.accountId);
    const missing = `${promo}:00000000-0000-4000-8000-000000000000`;
    const bodies = await Promise.all([
      get(stranger.token),
      get(await ctx.fixtures.appToken(other.id)),
      get(otherUser),
      get(mine.token, missing),
      get(mine.token, 'garbage'),
      get(mine.token, `${promo}:not-a-uuid`),
    ]);
    for (const res of bodies) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({
        errors: [
          {
            status: '404',
            code: 'enrollment_not_found',
            title: 'Enrollment Not Found',
            detail: 'The requested enrollment was not found.',
          },
        ],
      });
    }
  });

  it('reads tasks_used_this_month from the current billing cycle only', async () => {
    const id = enrollmentId.split(':')[1]!;
    await ctx.app.db.execute(
      sql`insert into usage_counters (enrollment_id, cycle_start, used) values (${id}, ${new Date('2026-04-28T10:00:00Z')}, 3)`,
    );
    expect((await get(mine.token)).json()).toMatchObject({
      tasks_used_this_month: 3,
      billing_cycle_start: '2026-04-28T10:00:00Z',
    });
    ctx.clock.set('2026-05-28T10:00:00Z');
    expect((await get(mine.token)).json()).toMatchObject({
      tasks_used_this_month: 0,
      billing_cycle_start: '2026-05-28T10:00:00Z',
      billing_cycle_end: '2026-06-28T10:00:00Z',
    });
    ctx.clock.set('2026-04-28T10:00:00Z');
  });

  it('turns expired after the expiration date and keeps the data (rule 1)', async () => {
    ctx.clock.set('2026-07-26T23:59:59Z');
    expect((await get(mine.token)).json().status).toBe('enrolled');
    ctx.clock.set('2026-07-27T00:00:00Z');
    const res = await get(mine.token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'expired',
      expiration_date: '2026-07-26T23:59:59Z',
      promotion_id: promo,
    });
    ctx.clock.set('2026-04-28T10:00:00Z');
  });

  it('answers 403 insufficient_scope to a token without promotions:read', async () => {
    const writeOnly = await ctx.fixtures.userToken(partner.id, mine.accountId, ['promotions:write']);
    const res = await get(writeOnly);
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="promotions", error="insufficient_scope", scope="promotions:read"',
    );
  });

  it('answers 401 without a token', async () => {
    const res = await get(null);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="promotions"');
  });
});

describe('DELETE /v2/promotions/{enrollment_id}', () => {
  it('unenrolls softly: 204 without a body, then 404 to GET and DELETE, the row kept (rule 8)', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const { token } = await freshUser();
    const id = (await enroll(token, { promotion_id: promo })).json().enrollment_id;
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${id}`,
      headers: bearer(appToken),
    });
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    const get = await ctx.app.inject({
      method: 'GET',
      url: `/v2/promotions/${id}`,
      headers: bearer(appToken),
    });
    expect(get.statusCode).toBe(404);
    const again = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${id}`,
      headers: bearer(appToken),
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().errors[0].code).toBe('enrollment_not_found');
    const [row] = await queryRows<{ kept: boolean }>(
      ctx.app.db,
      sql`select unenrolled_at is not null as kept from enrollments where id = ${id.split(':')[1]}`,
    );
    expect(row).toEqual({ kept: true });
  });

  it('takes a user token with promotions:write for its own account (regression: answered 403)', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const { token } = await freshUser();
    const id = (await enroll(token, { promotion_id: promo })).json().enrollment_id;
    const res = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${id}`,
      headers: bearer(token),
    });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    const read = await ctx.app.inject({
      method: 'GET',
      url: `/v2/promotions/${id}`,
      headers: bearer(appToken),
    });
    expect(read.statusCode).toBe(404);
  });

  it("answers 404 to a user token for another account's enrollment, and leaves it alone", async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const owner = await freshUser();
    const stranger = await freshUser();
    const id = (await enroll(owner.token, { promotion_id: promo })).json().enrollment_id;
    const res = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${id}`,
      headers: bearer(stranger.token),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().errors[0]).toMatchObject({ status: '404', code: 'enrollment_not_found' });
    const read = await ctx.app.inject({
      method: 'GET',
      url: `/v2/promotions/${id}`,
      headers: bearer(owner.token),
    });
    expect(read.json().status).toBe('enrolled');
  });

  it('answers 403 insufficient_scope to a user token with promotions:read only', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const { accountId, token } = await freshUser();
    const id = (await enroll(token, { promotion_id: promo })).json().enrollment_id;
    const readOnly = await ctx.fixtures.userToken(partner.id, accountId, ['promotions:read']);
    const res = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${id}`,
      headers: bearer(readOnly),
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="promotions", error="insufficient_scope", scope="promotions:write"',
    );
    expect(res.json().errors[0]).toMatchObject({ code: 'permission_denied' });
  });

  it('answers 404 to another partner, and leaves the enrollment alone (rule 7)', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const { token } = await freshUser();
    const id = (await enroll(token, { promotion_id: promo })).json().enrollment_id;
    const res = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${id}`,
      headers: bearer(await ctx.fixtures.appToken(other.id)),
    });
    expect(res.statusCode).toBe(404);
    expect(
      (await ctx.app.inject({ method: 'GET', url: `/v2/promotions/${id}`, headers: bearer(token) }))
        .statusCode,
    ).toBe(200);
  });

  it('answers 403 insufficient_scope to an app token with only promotions:read', async () => {
    const readApp = await ctx.fixtures.appToken(partner.id, ['promotions:read']);
    const res = await ctx.app.inject({
      method: 'DELETE',
      url: '/v2/promotions/x:00000000-0000-4000-8000-000000000000',
      headers: bearer(readApp),
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="promotions", error="insufficient_scope", scope="promotions:write"',
    );
  });
});

describe('errors everywhere', () => {
  it('answers unknown routes with 404 not_found in the envelope', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v2/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      errors: [
        {
          status: '404',
          code: 'not_found',
          title: 'Not Found',
          detail: 'No route matches GET /v2/nothing-here.',
        },
      ],
    });
  });

  it('echoes a sane X-Request-Id and generates one otherwise', async () => {
    const given = await ctx.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const insane = await ctx.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'a b<script>' },
    });
    expect(insane.headers['x-request-id']).toMatch(new RegExp(`^${UUID}$`));
  });
});
