import { expect } from 'vitest';
import { bearer, type PartnerFixture, type TestContext } from './app.js';

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/**
 * The requests most suites send, once: a new user of a partner, POST /v2/promotions, the
 * admin usage post. Bound to a test app and the partner the suite acts for (a getter, as
 * suites create their partner in beforeAll).
 */
export function requestsFor(ctx: TestContext, partner: () => PartnerFixture) {
  /** POST /v2/promotions: a string body is sent as is, anything else as JSON. */
  const post = (token: string | null, body: unknown, headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: { ...JSON_HEADERS, ...(token ? bearer(token) : {}), ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  /** A new account of the partner (or of `p`) with a user token. */
  async function user(p: PartnerFixture = partner()) {
    const account = await ctx.fixtures.account();
    return { accountId: account.id, token: await ctx.fixtures.userToken(p.id, account.id) };
  }

  /** Enrolls with `token` into `promotionId`, with an Idempotency-Key when given. */
  const enroll = (token: string, promotionId: string, key?: string) =>
    post(token, { promotion_id: promotionId }, key ? { 'idempotency-key': key } : {});

  return {
    post,
    user,
    enroll,

    /** Enrolls a new account of the partner at the clock's time; asserts the 201. */
    async enrollNew(promotionId: string, key?: string): Promise<{ enrollmentId: string; accountId: string }> {
      const { accountId, token } = await user();
      const res = await enroll(token, promotionId, key);
      expect(res.statusCode).toBe(201);
      return { enrollmentId: res.json().enrollment_id, accountId };
    },

    /** POST /admin/v1/enrollments/{id}/usage. */
    usage: (enrollmentId: string, body: unknown) =>
      ctx.admin({
        method: 'POST',
        url: `/admin/v1/enrollments/${encodeURIComponent(enrollmentId)}/usage`,
        headers: JSON_HEADERS,
        payload: JSON.stringify(body),
      }),
  };
}
