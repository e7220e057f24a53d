import { describe, expect, it } from 'vitest';
import {
  createPromotionsClient,
  type FetchLike,
  getClientCredentialsToken,
  PromotionsApiError,
  PromotionsConnectionError,
} from '../../clients/typescript/src/index.js';
import { useTestApp } from '../helpers/app.js';
import { listen } from './helpers.js';

describe('typed promotions client against the server', () => {
  const ctx = useTestApp();

  async function setup() {
    const baseUrl = await listen(ctx.app);
    const partner = await ctx.fixtures.partner();
    const account = await ctx.fixtures.account();
    const promotionId = await ctx.fixtures.promotion(partner.id);
    const userToken = await ctx.fixtures.userToken(partner.id, account.id);
    return { baseUrl, partner, account, promotionId, userToken };
  }

  it('enrolls, reads the enrollment typed, and unenrolls with a client-credentials token', async () => {
    const { baseUrl, partner, promotionId, userToken } = await setup();
    const sent: Request[] = [];
    const spy: FetchLike = (request) => {
      sent.push(request.clone());
      return fetch(request);
    };
    const user = createPromotionsClient({ baseUrl, accessToken: userToken, fetch: spy });

    const { enrollment_id } = await user.enroll(promotionId);
    expect(enrollment_id).toMatch(new RegExp(`^${promotionId}:[0-9a-f-]{36}$`));
    expect(sent[0]?.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[0]?.headers.get('authorization')).toBe(`Bearer ${userToken}`);

    const detail = await user.getEnrollment(enrollment_id);
    expect(detail).toEqual({
      enrollment_id,
      promotion_id: promotionId,
      enrollment_date: '2026-04-28T10:00:00Z',
      expiration_date: '2026-07-26T23:59:59Z',
      task_limit_per_month: 5,
      tasks_used_this_month: 0,
      status: 'enrolled',
      billing_cycle_start: '2026-04-28T10:00:00Z',
      billing_cycle_end: '2026-05-28T10:00:00Z',
    });

    const token = await getClientCredentialsToken({
      baseUrl,
      clientId: partner.clientId,
      clientSecret: partner.clientSecret,
      scope: 'promotions:read promotions:write',
    });
    expect(token).toMatchObject({ token_type: 'Bearer', scope: 'promotions:read promotions:write' });
    const app = createPromotionsClient({ baseUrl, getAccessToken: async () => token.access_token });
    await expect(app.unenroll(enrollment_id)).resolves.toBeUndefined();

    const gone = await user.getEnrollment(enrollment_id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(PromotionsApiError);
    expect(gone).toMatchObject({ status: 404, code: 'enrollment_not_found', title: 'Enrollment Not Found' });
  });

  it('uses the given Idempotency-Key and the user token in the body', async () => {
    const { baseUrl, partner, promotionId, userToken } = await setup();
    const appToken = await ctx.fixtures.appToken(partner.id);
    const keys: (string | null)[] = [];
    const client = createPromotionsClient({
      baseUrl,
      accessToken: appToken,
      fetch: (request) => {
        keys.push(request.headers.get('idempotency-key'));
        return fetch(request);
      },
    });
    const { enrollment_id } = await client.enroll(promotionId, {
      idempotencyKey: 'order-42',
      userAccessToken: userToken,
    });
    expect(enrollment_id.startsWith(`${promotionId}:`)).toBe(true);
    expect(keys).toEqual(['order-42']);
  });

  it('throws PromotionsApiError with the envelope on 404 and 409', async () => {
    const { baseUrl, promotionId, userToken } = await setup();
    const client = createPromotionsClient({ baseUrl, accessToken: userToken });

    const missing = await client.enroll('no_such_promotion').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PromotionsApiError);
    expect(missing).toBeInstanceOf(Error);
    const notFound = missing as PromotionsApiError;
    expect({ ...pick(notFound), name: notFound.name }).toEqual({
      name: 'PromotionsApiError',
      status: 404,
      code: 'promotion_not_found',
      title: 'Promotion Not Found',
      detail: 'The requested promotion was not found. The specified promotion_id may be invalid.',
      source: { pointer: '/promotion_id' },
    });
    expect(notFound.message).toBe(`404 promotion_not_found: ${notFound.detail}`);
    expect(notFound.requestId).toMatch(/^[0-9a-f-]{36}$/);

    await client.enroll(promotionId);
    const again = await client.enroll(promotionId).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(PromotionsApiError);
    expect(pick(again as PromotionsApiError)).toMatchObject({
      status: 409,
      code: 'already_enrolled',
      title: 'Already Enrolled',
    });
  });

  it('throws PromotionsApiError from an RFC 6749 body on a bad client secret', async () => {
    const { baseUrl, partner } = await setup();
    const error = await getClientCredentialsToken({
      baseUrl,
      clientId: partner.clientId,
      clientSecret: 'wrong',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PromotionsApiError);
    expect(pick(error as PromotionsApiError)).toMatchObject({ status: 401, code: 'invalid_client' });
  });

  it('throws PromotionsConnectionError when nothing listens', async () => {
    const client = createPromotionsClient({ baseUrl: 'http://127.0.0.1:9', accessToken: 'x', retries: 0 });
    const error = await client.getEnrollment('p:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PromotionsConnectionError);
    expect((error as Error).message).toMatch(
      /^Could not reach http:\/\/127\.0\.0\.1:9\/v2\/promotions\/p%3A1: /,
    );
  });
});

function pick(e: PromotionsApiError) {
  return { status: e.status, code: e.code, title: e.title, detail: e.detail, source: e.source };
}
