import { randomUUID } from 'node:crypto';
import { randomId } from '../../src/auth/secrets.js';
import { ADMIN_TOKEN, bearer, type PartnerFixture, type TestContext } from '../helpers/app.js';
import { JSON_HEADERS, requestsFor } from '../helpers/requests.js';

export interface SentEvent {
  id?: unknown;
  account_id?: unknown;
  external_account_id?: unknown;
  tasks?: unknown;
  occurred_at?: unknown;
  [field: string]: unknown;
}

/** The metering suites' requests: POST /admin/v1/usage_events, entitlements, accounts with external ids. */
export function meteringFor(ctx: TestContext, partner: () => PartnerFixture) {
  const requests = requestsFor(ctx, partner);

  /** POST /admin/v1/usage_events as ADMIN_TOKEN (or `key`). */
  const ingest = (events: SentEvent[] | unknown, key?: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/admin/v1/usage_events',
      headers: { ...JSON_HEADERS, ...bearer(key ?? ADMIN_TOKEN) },
      payload: JSON.stringify(Array.isArray(events) ? { events } : events),
    });

  /** GET /admin/v1/entitlements?… */
  const entitlements = (query: Record<string, string>, key?: string) =>
    ctx.app.inject({
      method: 'GET',
      url: `/admin/v1/entitlements?${new URLSearchParams(query)}`,
      headers: bearer(key ?? ADMIN_TOKEN),
    });

  /** A new account of the partner with an external id and a user token; enrolls it into each promotion at the clock's time. */
  async function account(promotions: string[] = []) {
    const externalId = `ext-${randomId(8).replace(/[^A-Za-z0-9]/g, 'x')}`;
    const created = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/accounts',
      headers: JSON_HEADERS,
      payload: JSON.stringify({
        email: `${externalId}@example.com`,
        password: 'a long password',
        external_id: externalId,
      }),
    });
    if (created.statusCode !== 201) throw new Error(`account: ${created.statusCode} ${created.body}`);
    const accountId = created.json().id as string;
    const token = await ctx.fixtures.userToken(partner().id, accountId);
    const enrollments: string[] = [];
    for (const promotionId of promotions) {
      const res = await requests.enroll(token, promotionId);
      if (res.statusCode !== 201) throw new Error(`enroll: ${res.statusCode} ${res.body}`);
      enrollments.push(res.json().enrollment_id);
    }
    return { accountId, externalId, token, enrollments };
  }

  /** tasks_used_this_month of an enrollment as GET /v2 shows it now. */
  async function usedNow(enrollmentId: string): Promise<number> {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/v2/promotions/${enrollmentId}`,
      headers: bearer(await ctx.fixtures.appToken(partner().id)),
    });
    return res.json().tasks_used_this_month;
  }

  const eventId = () => `evt-${randomUUID()}`;

  return { ...requests, ingest, entitlements, account, usedNow, eventId };
}
