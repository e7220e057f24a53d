import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createPromotionsClient, PromotionsApiError } from '../../clients/typescript/src/index.js';
import { enrollmentLifetime } from '../../examples/test-clocks/enrollment-lifetime.js';
import { queryRows } from '../../src/db/client.js';
import { listen } from '../clients/helpers.js';
import { useTestApp } from '../helpers/app.js';

const EXAMPLE = 'examples/test-clocks/enrollment-lifetime.ts';

describe('README "Testing your integration with test clocks", through the typed client', () => {
  // The receiver listens on loopback (allowed by this flag, the embedded store's default);
  // the dispatcher polls often so the test does not wait.
  const ctx = useTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_INTERVAL_MS: '50' } });

  it('runs the whole enrollment lifetime against a live server', async () => {
    const baseUrl = await listen(ctx.app);
    const partner = await ctx.fixtures.partner({ sandbox: true });
    const promotionId = await ctx.fixtures.promotion(partner.id, {
      durationDays: 90,
      taskLimitPerMonth: 1000,
    });
    // What the expired event and the audit trail looked like, read before the example deletes the clock.
    let trail: Array<{ type: string; at: string }> = [];
    const deleteClock = ctx.app.testClockService.delete;
    ctx.app.testClockService.delete = async (partnerId, clockId) => {
      trail = await queryRows<{ type: string; at: string }>(
        ctx.app.db,
        sql`select ev.type, to_char(ev.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at
            from events ev join enrollments e on e.id = ev.enrollment_id
            where e.test_clock_id = ${clockId} and ev.type in ('enrollment.created', 'enrollment.expired')
            order by ev.occurred_at`,
      );
      return deleteClock(partnerId, clockId);
    };
    let result: Awaited<ReturnType<typeof enrollmentLifetime>>;
    ctx.app.webhookDispatcher.start();
    try {
      result = await enrollmentLifetime({
        baseUrl,
        clientId: partner.clientId,
        clientSecret: partner.clientSecret,
        promotionId,
      });
    } finally {
      ctx.app.testClockService.delete = deleteClock;
      await ctx.app.webhookDispatcher.stop();
    }

    const common = {
      enrollment_id: result.enrollmentId,
      promotion_id: promotionId,
      enrollment_date: '2026-01-31T10:00:00Z',
      expiration_date: '2026-04-30T23:59:59Z',
      task_limit_per_month: 1000,
    };
    expect(result.enrolled).toEqual({
      ...common,
      tasks_used_this_month: 100,
      status: 'enrolled',
      billing_cycle_start: '2026-01-31T10:00:00Z',
      billing_cycle_end: '2026-02-28T10:00:00Z',
    });
    expect(result.nextCycle).toEqual({
      ...common,
      tasks_used_this_month: 0,
      status: 'enrolled',
      billing_cycle_start: '2026-02-28T10:00:00Z',
      billing_cycle_end: '2026-03-31T10:00:00Z',
    });
    expect(result.expired).toEqual({
      ...common,
      tasks_used_this_month: 0,
      status: 'expired',
      billing_cycle_start: '2026-04-30T10:00:00Z',
      billing_cycle_end: '2026-05-31T10:00:00Z',
    });
    // The signed webhook, verified by the partner's receiver: the enrollment as GET showed it
    // at the clock's time, stamped with that time.
    expect(result.webhook).toEqual({
      id: expect.stringMatching(/^evt_/),
      type: 'enrollment.expired',
      timestamp: '2026-05-01T00:00:00Z',
      data: result.expired,
    });
    // The expiry happened during the advance, at the clock's time, with its audit event.
    expect(trail).toEqual([
      { type: 'enrollment.created', at: '2026-01-31T10:00:00Z' },
      { type: 'enrollment.expired', at: '2026-05-01T00:00:00Z' },
    ]);

    // The example cleaned up: the clock is gone, and so is everything on it.
    const { access_token } = await ctx.app.tokenService.issueAccessToken({
      kind: 'app',
      partnerId: partner.id,
      accountId: null,
      scopes: ['promotions:write'],
    });
    const client = createPromotionsClient({ baseUrl, accessToken: access_token });
    const gone = await client.testClocks.get(result.clockId).catch((err: unknown) => err);
    expect(gone).toBeInstanceOf(PromotionsApiError);
    expect(gone).toMatchObject({ status: 404, code: 'test_clock_not_found' });
    await expect(client.testClocks.list()).resolves.toEqual({ data: [], next_cursor: null });
    const [left] = await queryRows<{ n: number }>(
      ctx.app.db,
      sql`select count(*)::int as n from enrollments where id = ${result.enrollmentId.split(':')[1]}`,
    );
    expect(left!.n).toBe(0);
  });

  it('is quoted in full in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Testing your integration with test clocks'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(readFileSync(EXAMPLE, 'utf8'));
  });
});
