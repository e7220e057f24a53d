// POST /v2/promotions (CONTRACT §4.5): the enrollment it makes, and the requests it refuses before
// any rule of CONTRACT §3 (enroll-rules.test.ts has those).
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
});
