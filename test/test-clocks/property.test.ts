import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cycleAt } from '../../src/rules/billing-cycle.js';
import { toRfc3339 } from '../../src/rules/time.js';
import { useTestApp } from '../helpers/app.js';
import { clockCalls } from './helpers.js';

const LIMIT = 100;
const DAY = 86_400;
// Enrollment instants from 2024 to 2031 (leap years and every month-end among them), whole seconds.
const FROM = Date.UTC(2024, 0, 1) / 1000;
const TO = Date.UTC(2031, 0, 1) / 1000;

describe('test clocks against the billing-cycle reference model (property)', () => {
  const ctx = useTestApp();
  const c = clockCalls(ctx);

  it('for random enrollment instants and advances, GET shows cycleAt’s bounds and the capped usage of that cycle', async () => {
    const { partner, appToken } = await c.sandbox();
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: null, taskLimitPerMonth: LIMIT });

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: FROM, max: TO }),
        fc.array(
          fc.record({
            // Mostly within a cycle or two, sometimes to the second of a roll-over region, sometimes far.
            seconds: fc.oneof(
              fc.integer({ min: 0, max: 40 * DAY }),
              fc.integer({ min: 0, max: 3 }),
              fc.integer({ min: 0, max: 700 * DAY }),
            ),
            // Or to the next roll-over itself, a second before or after it.
            rollover: fc.option(fc.integer({ min: -1, max: 1 }), { freq: 3 }),
            tasks: fc.integer({ min: 0, max: 70 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (startSeconds, steps) => {
          const enrolledAt = new Date(startSeconds * 1000);
          const clock = await c.clock(appToken, enrolledAt.toISOString());
          const account = await c.account(appToken, clock);
          const id = await c.enroll(account.access_token, promo);
          // The reference model: usage per cycle start, never above the limit (rule 3).
          const used = new Map<number, number>();
          let now = enrolledAt;
          for (const step of steps) {
            const target =
              step.rollover === null
                ? new Date(now.getTime() + step.seconds * 1000)
                : new Date(cycleAt(enrolledAt, now).end.getTime() + step.rollover * 1000);
            if (target.getTime() > now.getTime()) {
              now = target;
              const advanced = await c.advance(appToken, clock, now.toISOString());
              expect(advanced.statusCode).toBe(200);
            }
            const cycle = cycleAt(enrolledAt, now);
            const key = cycle.start.getTime();
            if (step.tasks > 0) {
              const before = used.get(key) ?? 0;
              const after = Math.min(LIMIT, before + step.tasks);
              used.set(key, after);
              const recorded = await c.usage(appToken, id, step.tasks);
              expect(recorded.json()).toEqual({
                accepted: after - before,
                rejected: step.tasks - (after - before),
                tasks_used_this_month: after,
                task_limit_per_month: LIMIT,
              });
            }
            const detail = await c.detail(account.access_token, id);
            expect(detail).toMatchObject({
              enrollment_date: toRfc3339(enrolledAt),
              billing_cycle_start: toRfc3339(cycle.start),
              billing_cycle_end: toRfc3339(cycle.end),
              tasks_used_this_month: used.get(key) ?? 0,
              status: 'enrolled',
            });
          }
          expect((await c.call(appToken, 'DELETE', `/v2/test_helpers/test_clocks/${clock}`)).statusCode).toBe(
            204,
          );
        },
      ),
      { numRuns: 25 },
    );
  });
});
