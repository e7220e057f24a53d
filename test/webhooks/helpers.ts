// The webhook suites' steps: a partner with an endpoint on the test receiver, an enrollment, the
// event feed and an endpoint's deliveries as its partner reads them, a dispatcher pass.
import { expect } from 'vitest';
import { bearer, type PartnerFixture, type TestContext } from '../helpers/app.js';
import { requestsFor } from '../helpers/requests.js';
import type { Receiver } from './receiver.js';

/** The steps, on `ctx` and the file's receiver. */
export function webhooksFor(ctx: TestContext, receiver: () => Receiver) {
  const dispatch = () => ctx.app.webhookDispatcher.runOnce();

  /** A partner with an app token, an endpoint on the receiver and a promotion. */
  async function setup(
    options: { eventTypes?: string[]; taskLimit?: number; url?: string; durationDays?: number } = {},
  ) {
    const partner = await ctx.fixtures.partner();
    const app = await ctx.fixtures.appToken(partner.id);
    const endpoint = await ctx.fixtures.webhookEndpoint(partner.id, {
      url: options.url ?? receiver().newUrl(),
      ...(options.eventTypes ? { event_types: options.eventTypes } : {}),
    });
    const promotionId = await ctx.fixtures.promotion(partner.id, {
      taskLimitPerMonth: options.taskLimit ?? 5,
      durationDays: options.durationDays ?? 90,
    });
    return { partner, app, endpoint, promotionId };
  }

  /** A new account of `partner` enrolled in `promotionId` (asserts the 201). */
  async function enroll(partner: PartnerFixture, promotionId: string) {
    const requests = requestsFor(ctx, () => partner);
    const { accountId, token: user } = await requests.user();
    const res = await requests.enroll(user, promotionId);
    expect(res.statusCode).toBe(201);
    return { enrollmentId: res.json().enrollment_id as string, user, account: { id: accountId } };
  }

  async function events(app: string, query = '') {
    const res = await ctx.app.inject({ method: 'GET', url: `/v2/events${query}`, headers: bearer(app) });
    expect(res.statusCode).toBe(200);
    return res.json() as {
      data: Array<{ id: string; type: string; timestamp: string; data: Record<string, unknown> }>;
      next_cursor: string | null;
    };
  }

  async function deliveries(app: string, endpointId: string, query = '') {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/v2/webhook_endpoints/${endpointId}/deliveries${query}`,
      headers: bearer(app),
    });
    expect(res.statusCode).toBe(200);
    return res.json() as {
      data: Array<{
        id: string;
        event_id: string;
        type: string;
        status: string;
        attempts: Array<{
          at: string;
          response_status: number | null;
          error: string | null;
          duration_ms: number;
        }>;
        next_attempt_at: string | null;
      }>;
      next_cursor: string | null;
    };
  }

  const receivedFor = (eventIds: string[]) => receiver().received.filter((r) => eventIds.includes(r.id));

  return { dispatch, setup, enroll, events, deliveries, receivedFor };
}
