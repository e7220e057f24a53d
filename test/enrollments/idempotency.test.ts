import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { type PartnerFixture, useTestApp } from '../helpers/app.js';
import { JSON_HEADERS as json, requestsFor } from '../helpers/requests.js';

const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });

let partner: PartnerFixture;
let other: PartnerFixture;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
  other = await ctx.fixtures.partner();
});

const { user, post } = requestsFor(ctx, () => partner);
/** POST /v2/promotions with an Idempotency-Key whenever one is given, even an empty one. */
const enroll = (token: string, body: unknown, key?: string, headers: Record<string, string> = {}) =>
  post(token, body, { ...(key === undefined ? {} : { 'idempotency-key': key }), ...headers });

const enrollmentsOf = async (promotionId: string) =>
  (
    await queryRows<{ n: number }>(
      ctx.app.db,
      sql`select count(*)::int as n from enrollments where promotion_id = ${promotionId}`,
    )
  )[0]!.n;

describe('Idempotency-Key on POST /v2/promotions', () => {
  it('replays the first 201 byte for byte, with its Location, and enrolls once', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id);
    const { token } = await user();
    const first = await enroll(token, { promotion_id: promo }, 'key-201');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    ctx.clock.set('2026-04-28T11:00:00Z');
    // Key order and whitespace do not make another request.
    const again = await enroll(token, ` { "promotion_id" : "${promo}" } `, 'key-201');
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers.location).toBe(`/v2/promotions/${first.json().enrollment_id}`);
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await enrollmentsOf(promo)).toBe(1);
  });

  it('treats a body token as authentication, not content: a refreshed token replays', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const { accountId, token } = await user();
    const refreshed = await ctx.fixtures.userToken(partner.id, accountId);
    const first = await enroll(token, { promotion_id: promo }, 'key-body-token');
    const again = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: { ...json, 'idempotency-key': 'key-body-token' },
      payload: { promotion_id: promo, user_access_token: refreshed },
    });
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
  });

  it('answers 422 idempotency_key_reused to the same key with another body', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const promo2 = await ctx.fixtures.promotion(partner.id);
    const { token } = await user();
    expect((await enroll(token, { promotion_id: promo }, 'key-422')).statusCode).toBe(201);
    for (const body of [{ promotion_id: promo2 }, { promotion_id: promo, note: 'x' }]) {
      const res = await enroll(token, body, 'key-422');
      expect(res.statusCode).toBe(422);
      expect(res.json()).toEqual({
        errors: [
          {
            status: '422',
            code: 'idempotency_key_reused',
            title: 'Idempotency Key Reused',
            detail: 'This Idempotency-Key was already used with a different request body.',
            source: { header: 'Idempotency-Key' },
          },
        ],
      });
    }
    expect(await enrollmentsOf(promo2)).toBe(0);
  });

  it('binds the key to the authenticated account', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const a = await user();
    const b = await user();
    expect((await enroll(a.token, { promotion_id: promo }, 'key-account')).statusCode).toBe(201);
    expect((await enroll(b.token, { promotion_id: promo }, 'key-account')).statusCode).toBe(422);
  });

  it('scopes keys to the partner', async () => {
    const mine = await ctx.fixtures.promotion(partner.id);
    const theirs = await ctx.fixtures.promotion(other.id);
    const a = await user(partner);
    const b = await user(other);
    const first = await enroll(a.token, { promotion_id: mine }, 'shared-key');
    const second = await enroll(b.token, { promotion_id: theirs }, 'shared-key');
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json().enrollment_id).toMatch(new RegExp(`^${theirs}:`));
  });

  it('replays a 4xx answer as well: it changed nothing and keeps answering the same', async () => {
    const promo = await ctx.fixtures.promotion(partner.id, { maxEnrollments: 0 });
    const { token } = await user();
    const first = await enroll(token, { promotion_id: promo }, 'key-full');
    expect(first.statusCode).toBe(409);
    expect(first.json().errors[0].code).toBe('promotion_full');
    // Even once the promotion has room, the key answers as the first time.
    await ctx.admin({
      method: 'PATCH',
      url: `/admin/v1/promotions/${promo}`,
      headers: json,
      payload: { max_enrollments: 10 },
    });
    const again = await enroll(token, { promotion_id: promo }, 'key-full');
    expect(again.statusCode).toBe(409);
    expect(again.body).toBe(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // A new key is a new request.
    expect((await enroll(token, { promotion_id: promo }, 'key-full-2')).statusCode).toBe(201);
  });

  it('answers 409 idempotency_key_in_use while the first request runs, and lets a retry take over a dead one', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id);
    const { token } = await user();
    // What a request still running (or whose process died) leaves behind: a claim without a response.
    const res0 = await enroll(token, { promotion_id: promo }, 'probe');
    expect(res0.statusCode).toBe(201);
    await ctx.app.db.execute(
      sql`insert into idempotency_keys (partner_id, key, request_hash, locked_until, expires_at, created_at)
          select partner_id, 'running', request_hash, ${new Date('2026-04-28T10:00:30Z')},
                 ${new Date('2026-04-29T10:00:00Z')}, ${new Date('2026-04-28T10:00:00Z')}
          from idempotency_keys where partner_id = ${partner.id} and key = 'probe'`,
    );
    const promo2 = await ctx.fixtures.promotion(partner.id);
    // Same request as 'probe' under the key 'running'.
    const busy = await enroll(token, { promotion_id: promo }, 'running');
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toEqual({
      errors: [
        {
          status: '409',
          code: 'idempotency_key_in_use',
          title: 'Idempotency Key In Use',
          detail: 'A request with this Idempotency-Key is still being processed. Retry later.',
          source: { header: 'Idempotency-Key' },
        },
      ],
    });
    // Another body under a running key is still a different request.
    expect((await enroll(token, { promotion_id: promo2 }, 'running')).statusCode).toBe(422);

    // The lock ran out without an answer (the first process died): the retry runs.
    ctx.clock.set('2026-04-28T10:00:31Z');
    const retry = await enroll(token, { promotion_id: promo }, 'running');
    expect(retry.statusCode).toBe(409);
    expect(retry.json().errors[0].code).toBe('already_enrolled');
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
  });

  it('forgets keys after 24 h', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { allowReenrollment: true, durationDays: 1 });
    const { token } = await user();
    const first = await enroll(token, { promotion_id: promo }, 'key-24h');
    expect(first.statusCode).toBe(201);
    ctx.clock.set('2026-04-29T09:59:59Z');
    expect((await enroll(token, { promotion_id: promo }, 'key-24h')).body).toBe(first.body);
    ctx.clock.set('2026-04-29T10:00:00Z');
    const later = await enroll(token, { promotion_id: promo }, 'key-24h');
    expect(later.statusCode).toBe(201);
    expect(later.body).not.toBe(first.body);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
  });

  it('answers 400 with source.header to a malformed key, and changes nothing', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const { token } = await user();
    for (const key of ['', 'x'.repeat(256), 'caf\u00e9']) {
      const res = await enroll(token, { promotion_id: promo }, key);
      expect(res.statusCode, JSON.stringify(key)).toBe(400);
      expect(res.json()).toEqual({
        errors: [
          {
            status: '400',
            code: 'invalid_request',
            title: 'Invalid Request',
            detail: 'Idempotency-Key must be 1 to 255 printable ASCII characters.',
            source: { header: 'Idempotency-Key' },
          },
        ],
      });
    }
    expect(await enrollmentsOf(promo)).toBe(0);
    expect((await enroll(token, { promotion_id: promo }, 'x'.repeat(255))).statusCode).toBe(201);
    expect(
      (
        await enroll(
          await ctx.fixtures.userToken(partner.id, (await user()).accountId),
          { promotion_id: promo },
          ' !~',
        )
      ).statusCode,
    ).toBe(201);
  });

  it('does not store requests refused before they ran (auth, body validation)', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const { token } = await user();
    expect((await enroll(token, { promotion_id: 'bad slug!' }, 'key-invalid')).statusCode).toBe(400);
    expect((await enroll('at_bogus', { promotion_id: promo }, 'key-invalid')).statusCode).toBe(401);
    expect((await enroll(token, { promotion_id: promo }, 'key-invalid')).statusCode).toBe(201);
  });
});
