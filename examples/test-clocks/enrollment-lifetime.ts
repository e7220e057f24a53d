// A partner's CI goes through a whole enrollment lifetime in seconds with a test clock
// (SPEC §9): enroll on Jan 31, record usage, see the cycle roll over on Feb 28 (the month's
// end clamps it) with usage back to 0, then advance past the 90-day expiry. Needs a sandbox
// partner's client credentials and a promotion of that partner with `duration_days: 90` and
// `task_limit_per_month` of at least 100. Quoted in full in the README.
import assert from 'node:assert/strict';
import { createPromotionsClient, getClientCredentialsToken } from '../../clients/typescript/src/index.js';

export interface LifetimeOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  promotionId: string;
}

export async function enrollmentLifetime({ baseUrl, clientId, clientSecret, promotionId }: LifetimeOptions) {
  // 1. The partner's app token (client credentials) drives the clock.
  const { access_token } = await getClientCredentialsToken({ baseUrl, clientId, clientSecret });
  const partner = createPromotionsClient({ baseUrl, accessToken: access_token });
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
    //    the enrollment is expired and its `enrollment.expired` event is written.
    const advanced = await partner.testClocks.advance(clock.id, '2026-05-01T00:00:00Z');
    assert.equal(advanced.status, 'ready');
    const expired = await user.getEnrollment(enrollment_id);
    assert.equal(expired.status, 'expired');
    assert.equal(expired.expiration_date, '2026-04-30T23:59:59Z');

    return { clockId: clock.id, enrollmentId: enrollment_id, enrolled, nextCycle, expired };
  } finally {
    // 6. Leave nothing behind: the clock goes with its accounts, enrollments and usage.
    await partner.testClocks.delete(clock.id);
  }
}
