// A partner's CI goes through a whole enrollment lifetime in seconds with a test clock
// (CONTRACT §9): enroll on Jan 31, record usage, see the cycle roll over on Feb 28 (the month's
// end clamps it) with usage back to 0, then advance past the 90-day expiry and receive the
// signed `enrollment.expired` webhook (CONTRACT §8). Needs a sandbox partner's client credentials
// and a promotion of that partner with `duration_days: 90` and `task_limit_per_month` of at
// least 100; the receiver listens on loopback, which the server allows with
// WEBHOOK_ALLOW_PRIVATE_URLS=true (the default with the embedded store). Quoted in the README.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createPromotionsClient,
  getClientCredentialsToken,
  type VerifiedWebhook,
  verifyWebhook,
} from '../../clients/typescript/src/index.js';

export interface LifetimeOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  promotionId: string;
}

/** The partner's webhook receiver: answers 204 to a delivery whose signature verifies, 400 to any other. */
async function startReceiver() {
  const received: VerifiedWebhook[] = [];
  let secret = '';
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        received.push(verifyWebhook(secret, Buffer.concat(chunks), request.headers));
        response.writeHead(204).end();
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    useSecret: (value: string) => {
      secret = value;
    },
    /** The first verified delivery of `type`, waiting up to `ms`. */
    async next(type: string, ms = 10_000): Promise<VerifiedWebhook> {
      for (const until = Date.now() + ms; Date.now() < until; ) {
        const event = received.find((e) => e.type === type);
        if (event) return event;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no ${type} webhook within ${ms} ms`);
    },
    close: () => server.close(),
  };
}

export async function enrollmentLifetime({ baseUrl, clientId, clientSecret, promotionId }: LifetimeOptions) {
  // 1. The partner's app token (client credentials) drives the clock and registers the receiver.
  const { access_token } = await getClientCredentialsToken({ baseUrl, clientId, clientSecret });
  const partner = createPromotionsClient({ baseUrl, accessToken: access_token });
  const receiver = await startReceiver();
  const endpoint = await partner.webhooks.create({ url: receiver.url, event_types: ['enrollment.expired'] });
  receiver.useSecret(endpoint.secret);
  const clock = await partner.testClocks.create('2026-01-31T10:00:00Z', { name: 'CI: enrollment lifetime' });
  try {
    // 2. A test account on the clock and a user token for it: no consent page in CI.
    const account = await partner.testClocks.createAccount(clock.id);
    const user = createPromotionsClient({ baseUrl, accessToken: account.access_token });

    // 3. Enroll at the clock's time and record 100 tasks.
    const { enrollment_id } = await user.enroll(promotionId);
    const usage = await partner.testClocks.recordUsage(enrollment_id, { tasks: 100 });
    assert.equal(usage.tasks_used_this_month, 100);
    const enrolled = await user.getEnrollment(enrollment_id);
    assert.equal(enrolled.enrollment_date, '2026-01-31T10:00:00Z');
    assert.equal(enrolled.billing_cycle_end, '2026-02-28T10:00:00Z'); // Jan 31 + 1 month, clamped

    // 4. A month later: a new billing cycle, usage back to 0.
    await partner.testClocks.advance(clock.id, '2026-02-28T10:00:00Z');
    const nextCycle = await user.getEnrollment(enrollment_id);
    assert.equal(nextCycle.tasks_used_this_month, 0);
    assert.equal(nextCycle.billing_cycle_start, '2026-02-28T10:00:00Z');
    assert.equal(nextCycle.billing_cycle_end, '2026-03-31T10:00:00Z');

    // 5. Past the expiry (90 days from Jan 31: 2026-04-30T23:59:59Z). The advance answers once
    //    the enrollment is expired and its `enrollment.expired` event is queued; the signed
    //    delivery follows within a second.
    const advanced = await partner.testClocks.advance(clock.id, '2026-05-01T00:00:00Z');
    assert.equal(advanced.status, 'ready');
    const expired = await user.getEnrollment(enrollment_id);
    assert.equal(expired.status, 'expired');
    assert.equal(expired.expiration_date, '2026-04-30T23:59:59Z');
    const webhook = await receiver.next('enrollment.expired');
    assert.equal((webhook.data as { enrollment_id: string }).enrollment_id, enrollment_id);

    return { clockId: clock.id, enrollmentId: enrollment_id, enrolled, nextCycle, expired, webhook };
  } finally {
    // 6. Leave nothing behind: the clock goes with its accounts, enrollments, usage and events.
    await partner.testClocks.delete(clock.id);
    await partner.webhooks.delete(endpoint.id);
    receiver.close();
  }
}
