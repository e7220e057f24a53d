import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { JSON_HEADERS as json, requestsFor } from '../helpers/requests.js';

// Tokens outlive the clock moves of these tests (expiry of tokens has its own test).
const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

let partner: PartnerFixture;
let other: PartnerFixture;
let account: { id: string };
let userToken: string;
let appToken: string;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
  other = await ctx.fixtures.partner();
  account = await ctx.fixtures.account();
  userToken = await ctx.fixtures.userToken(partner.id, account.id);
  appToken = await ctx.fixtures.appToken(partner.id);
});

const { post: enroll, user: freshUser } = requestsFor(ctx, () => partner);

describe('POST /v2/promotions', () => {
  it('enrolls and answers 201 with the enrollment id and its Location', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const res = await enroll(userToken, { promotion_id: promo });
    expect(res.statusCode).toBe(201);
    const { enrollment_id } = res.json();
    expect(enrollment_id).toMatch(new RegExp(`^${promo}:${UUID}$`));
    expect(res.headers.location).toBe(`/v2/promotions/${enrollment_id}`);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({ enrollment_id });
  });

  it('reports the enrollment as Zapier does, with expiration at 23:59:59 of day duration-1 (rule 1)', async () => {
    ctx.clock.set('2026-04-28T10:00:00.750Z');
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 90, taskLimitPerMonth: 5 });
    const { token } = await freshUser();
    const { enrollment_id } = (await enroll(token, { promotion_id: promo })).json();
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/v2/promotions/${enrollment_id}`,
      headers: bearer(token),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      promotion_id: promo,
      enrollment_date: '2026-04-28T10:00:00Z',
      expiration_date: '2026-07-26T23:59:59Z',
      task_limit_per_month: 5,
      tasks_used_this_month: 0,
      status: 'enrolled',
      enrollment_id,
      billing_cycle_start: '2026-04-28T10:00:00Z',
      billing_cycle_end: '2026-05-28T10:00:00Z',
    });
  });

  it('caps the expiration at the promotion end, and leaves it null with neither set', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const capped = await ctx.fixtures.promotion(partner.id, {
      durationDays: 90,
      endsAt: new Date('2026-06-01T00:00:00Z'),
    });
    const forever = await ctx.fixtures.promotion(partner.id, { durationDays: null, taskLimitPerMonth: null });
    const { token } = await freshUser();
    const a = (await enroll(token, { promotion_id: capped })).json().enrollment_id;
    const b = (await enroll(token, { promotion_id: forever })).json().enrollment_id;
    const ra = await ctx.app.inject({ method: 'GET', url: `/v2/promotions/${a}`, headers: bearer(token) });
    const rb = await ctx.app.inject({ method: 'GET', url: `/v2/promotions/${b}`, headers: bearer(token) });
    expect(ra.json().expiration_date).toBe('2026-06-01T00:00:00Z');
    expect(rb.json()).toMatchObject({
      expiration_date: null,
      task_limit_per_month: null,
      status: 'enrolled',
    });
  });

  it('accepts the user token in the body, alone or with the partner app token in the header', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const u1 = await freshUser();
    const u2 = await freshUser();
    const alone = await enroll(null, { promotion_id: promo, user_access_token: u1.token });
    expect(alone.statusCode).toBe(201);
    const withApp = await enroll(appToken, { promotion_id: promo, user_access_token: u2.token });
    expect(withApp.statusCode).toBe(201);
    const rows = await queryRows<{ account_id: string }>(
      ctx.app.db,
      sql`select account_id from enrollments where promotion_id = ${promo} order by account_id`,
    );
    expect(rows.map((r) => r.account_id).sort()).toEqual([u1.accountId, u2.accountId].sort());
  });

  it('lets the body token win over a user token in the header', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const headerUser = await freshUser();
    const bodyUser = await freshUser();
    const res = await enroll(headerUser.token, { promotion_id: promo, user_access_token: bodyUser.token });
    expect(res.statusCode).toBe(201);
    const [row] = await queryRows<{ account_id: string }>(
      ctx.app.db,
      sql`select account_id from enrollments where promotion_id = ${promo}`,
    );
    expect(row?.account_id).toBe(bodyUser.accountId);
  });

  it('refuses a body token with another partner’s app token in the header', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const u = await freshUser();
    const res = await enroll(await ctx.fixtures.appToken(other.id), {
      promotion_id: promo,
      user_access_token: u.token,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().errors[0].code).toBe('permission_denied');
  });

  it('ignores unknown and read-only properties in the body', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 30 });
    const { token } = await freshUser();
    const res = await enroll(token, {
      promotion_id: promo,
      status: 'expired',
      enrollment_date: '2020-01-01T00:00:00Z',
      expiration_date: '2099-01-01T00:00:00Z',
      tasks_used_this_month: 99,
      favourite_colour: 'blue',
    });
    expect(res.statusCode).toBe(201);
    const detail = await ctx.app.inject({
      method: 'GET',
      url: res.headers.location as string,
      headers: bearer(token),
    });
    expect(detail.json()).toMatchObject({
      status: 'enrolled',
      enrollment_date: '2026-04-28T10:00:00Z',
      expiration_date: '2026-05-27T23:59:59Z',
      tasks_used_this_month: 0,
    });
  });

  it('answers 401 with a bare challenge when no token is sent', async () => {
    const res = await enroll(null, { promotion_id: 'anything' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="promotions"');
    expect(res.json()).toEqual({
      errors: [
        {
          status: '401',
          code: 'not_authenticated',
          title: 'User Not Authenticated',
          detail:
            'User must be authenticated to access this resource. No valid user access token was provided.',
        },
      ],
    });
  });

  it.each([
    [
      'an unknown token',
      'at_AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'The access token is invalid.',
    ],
    ['a malformed token', 'not-a-token', 'The access token is malformed.'],
  ])('answers 401 invalid_token for %s', async (_name, token, description) => {
    const res = await enroll(token, { promotion_id: 'anything' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer realm="promotions", error="invalid_token", error_description="${description}"`,
    );
    expect(res.json().errors[0].code).toBe('not_authenticated');
  });

  it('answers 401 for a tampered token (right id, wrong secret)', async () => {
    const tampered = `${userToken.slice(0, -4)}${userToken.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const res = await enroll(tampered, { promotion_id: 'anything' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('answers 401 for an expired token', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const { token } = await freshUser();
    ctx.clock.advance(ctx.config.accessTokenTtlSeconds * 1000);
    const res = await enroll(token, { promotion_id: 'anything' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="promotions", error="invalid_token", error_description="The access token expired."',
    );
    ctx.clock.set('2026-04-28T10:00:00Z');
  });

  it('answers 401 for a non-Bearer Authorization header', async () => {
    const res = await enroll(null, { promotion_id: 'x' }, { authorization: 'Basic dXNlcjpwYXNz' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('answers 403 permission_denied to an app token', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const res = await enroll(appToken, { promotion_id: promo });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      errors: [
        {
          status: '403',
          code: 'permission_denied',
          title: 'Permission Denied',
          detail: 'This action needs a user access token; an app token was provided.',
        },
      ],
    });
  });

  it('answers 403 insufficient_scope to a token without promotions:write', async () => {
    const a = await ctx.fixtures.account();
    const readOnly = await ctx.fixtures.userToken(partner.id, a.id, ['promotions:read']);
    const res = await enroll(readOnly, { promotion_id: 'anything' });
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="promotions", error="insufficient_scope", scope="promotions:write"',
    );
    expect(res.json().errors[0]).toMatchObject({ status: '403', code: 'permission_denied' });
  });

  it.each([
    [{}, '/promotion_id'],
    [{ promotion_id: 42 }, '/promotion_id'],
    [{ promotion_id: 'has spaces' }, '/promotion_id'],
    [{ promotion_id: 'x'.repeat(65) }, '/promotion_id'],
    [[], ''],
  ])('answers 400 invalid_request naming the field for %j', async (body, pointer) => {
    const res = await enroll(userToken, body);
    expect(res.statusCode).toBe(400);
    const [error] = res.json().errors;
    expect(error).toMatchObject({
      status: '400',
      code: 'invalid_request',
      title: 'Invalid Request',
      source: { pointer },
    });
  });

  it('answers 400 invalid_request to malformed JSON', async () => {
    const res = await enroll(userToken, '{"promotion_id": ');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      errors: [
        {
          status: '400',
          code: 'invalid_request',
          title: 'Invalid Request',
          detail: 'The request body is not valid JSON.',
        },
      ],
    });
  });

  it('answers 400 when the token travels in the query string', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v2/promotions?access_token=${userToken}`,
      headers: json,
      payload: '{"promotion_id":"x"}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({
      code: 'invalid_request',
      source: { parameter: 'access_token' },
    });
  });

  it.each([
    ['text/plain', 'promotion_id=x'],
    ['application/x-www-form-urlencoded', 'promotion_id=x'],
    ['application/xml', '<promotion_id>x</promotion_id>'],
  ])('answers 415 to a %s body', async (type, payload) => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: { ...bearer(userToken), 'content-type': type },
      payload,
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({
      errors: [
        {
          status: '415',
          code: 'unsupported_media_type',
          title: 'Unsupported Media Type',
          detail: 'Requests with a body must be application/json.',
        },
      ],
    });
  });

  it('answers 413 to a body over 16 KiB', async () => {
    const res = await enroll(userToken, { promotion_id: 'x', padding: 'x'.repeat(17 * 1024) });
    expect(res.statusCode).toBe(413);
    expect(res.json().errors[0]).toMatchObject({ status: '413', code: 'payload_too_large' });
  });

  it('answers 404 promotion_not_found for an unknown promotion and for another partner’s, identically', async () => {
    const theirs = await ctx.fixtures.promotion(other.id);
    const unknown = await enroll(userToken, { promotion_id: 'no_such_promotion' });
    const foreign = await enroll(userToken, { promotion_id: theirs });
    for (const res of [unknown, foreign]) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({
        errors: [
          {
            status: '404',
            code: 'promotion_not_found',
            title: 'Promotion Not Found',
            detail: 'The requested promotion was not found. The specified promotion_id may be invalid.',
            source: { pointer: '/promotion_id' },
          },
        ],
      });
    }
  });

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
