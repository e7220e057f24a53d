// Rules 3, 4, 5 and §4 idempotency under real concurrency: PostgreSQL only (PGlite has one connection).
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { type PartnerFixture, useTestApp } from '../helpers/app.js';
import { JSON_HEADERS as json, requestsFor } from '../helpers/requests.js';

const ctx = useTestApp({ poolMax: 20, env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });

let partner: PartnerFixture;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
});

const { user, enroll, usage } = requestsFor(ctx, () => partner);

const one = async <T>(query: ReturnType<typeof sql>) => (await queryRows<T>(ctx.app.db, query))[0]!;

describe('concurrency on PostgreSQL', () => {
  it('accepts exactly the limit from 40 concurrent usage posts (rule 3)', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 25 });
    const { token } = await user();
    const enrollmentId = (await enroll(token, promo)).json().enrollment_id as string;
    const id = enrollmentId.split(':')[1]!;

    const answers = await Promise.all(Array.from({ length: 40 }, () => usage(enrollmentId, { tasks: 1 })));
    expect(answers.map((r) => r.statusCode)).toEqual(Array(40).fill(200));
    const bodies = answers.map((r) => r.json());
    expect(bodies.reduce((sum, b) => sum + b.accepted, 0)).toBe(25);
    expect(bodies.reduce((sum, b) => sum + b.rejected, 0)).toBe(15);
    expect(Math.max(...bodies.map((b) => b.tasks_used_this_month))).toBe(25);
    expect(
      await one(sql`select (select used from usage_counters where enrollment_id = ${id}) as used,
                           (select sum(tasks_accepted)::int from usage_ledger where enrollment_id = ${id}) as ledger,
                           (select count(*)::int from events
                            where enrollment_id = ${id} and type = 'usage.limit_reached') as reached`),
    ).toEqual({ used: 25, ledger: 25, reached: 1 });
  });

  it('counts a batch once when its idempotency_key is posted 10 times at once', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 100 });
    const { token } = await user();
    const enrollmentId = (await enroll(token, promo)).json().enrollment_id as string;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        ctx.admin({
          method: 'POST',
          url: `/admin/v1/enrollments/${enrollmentId}/usage`,
          headers: json,
          payload: { tasks: 7, idempotency_key: 'same-batch' },
        }),
      ),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((r) => `${r.json().accepted}/${r.json().rejected}`))).toEqual(
      new Set(['7/0']),
    );
    expect(
      await one(sql`select used from usage_counters where enrollment_id = ${enrollmentId.split(':')[1]}`),
    ).toEqual({ used: 7 });
  });

  it('creates one enrollment from 20 concurrent POSTs with one Idempotency-Key, without a 5xx', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id);
    const { token } = await user();
    const answers = await Promise.all(Array.from({ length: 20 }, () => enroll(token, promo, 'one-key')));
    const created = answers.filter((r) => r.statusCode === 201);
    const busy = answers.filter((r) => r.statusCode === 409);
    expect(created.length + busy.length).toBe(20);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body)).size).toBe(1);
    expect(new Set(created.map((r) => r.headers.location)).size).toBe(1);
    for (const r of busy) expect(r.json().errors[0].code).toBe('idempotency_key_in_use');
    expect(await one(sql`select count(*)::int as n from enrollments where promotion_id = ${promo}`)).toEqual({
      n: 1,
    });
    // Once the first has finished, every retry is its replay.
    const retry = await enroll(token, promo, 'one-key');
    expect(retry.statusCode).toBe(201);
    expect(retry.body).toBe(created[0]!.body);
  });

  it('keeps the budget, one live enrollment per account and the task limit while sweeps run (rules 3-5)', async () => {
    ctx.clock.set('2026-04-27T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, {
      maxEnrollments: 20,
      durationDays: 1,
      taskLimitPerMonth: 10,
      allowReenrollment: true,
    });
    const early = [];
    for (let i = 0; i < 5; i++) early.push(await user());
    for (const u of early) expect((await enroll(u.token, promo)).statusCode).toBe(201);

    ctx.clock.set('2026-04-28T10:00:00Z'); // the five early ones expired at 2026-04-27T23:59:59Z
    const metered = await user();
    const meteredId = (await enroll(metered.token, promo)).json().enrollment_id as string;
    const newcomers = [];
    for (let i = 0; i < 25; i++) newcomers.push(await user());
    const { sweepOnce } = ctx.app.expirySweeper;

    const [enrolls, again, usages, sweeps] = await Promise.all([
      Promise.all(newcomers.map((u) => enroll(u.token, promo))),
      // The early accounts may re-enroll (theirs expired); each at most once.
      Promise.all(early.flatMap((u) => [enroll(u.token, promo), enroll(u.token, promo)])),
      Promise.all(Array.from({ length: 20 }, () => usage(meteredId, { tasks: 1 }))),
      Promise.all(Array.from({ length: 4 }, () => sweepOnce())),
    ]);

    const all = [...enrolls, ...again];
    expect(all.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    // 20 seats: 5 early + 1 metered + 14 more, whoever wins them.
    expect(all.filter((r) => r.statusCode === 201)).toHaveLength(14);
    for (const r of all.filter((x) => x.statusCode === 409)) {
      expect(['promotion_full', 'already_enrolled']).toContain(r.json().errors[0].code);
    }
    expect(
      await one(sql`select (select count(*)::int from enrollments where promotion_id = ${promo}) as rows,
                           (select enrollments_count from promotions where id = ${promo}) as counted,
                           (select count(*)::int from enrollments where promotion_id = ${promo} and is_current) as current,
                           (select count(distinct account_id)::int from enrollments
                            where promotion_id = ${promo} and is_current) as accounts`),
    ).toEqual({
      rows: 20,
      counted: 20,
      current: 20 - countRetired(again),
      accounts: 20 - countRetired(again),
    });

    expect(usages.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(usages.reduce((sum, r) => sum + r.json().accepted, 0)).toBe(10);

    // Each early enrollment is marked exactly once: a sweep skips rows another holds, and a
    // later sweep picks up whatever was skipped.
    const last = await sweepOnce();
    expect(sweeps.reduce((sum, r) => sum + r.expired, 0) + last.expired).toBe(5);
    expect(
      await one(sql`select count(*)::int as n from events ev join enrollments e on e.id = ev.enrollment_id
                    where e.promotion_id = ${promo} and ev.type = 'enrollment.expired'`),
    ).toEqual({ n: 5 });
  });
});

/** Early accounts that re-enrolled: their expired enrollment stopped being current. */
function countRetired(again: Array<{ statusCode: number }>): number {
  return again.filter((r) => r.statusCode === 201).length;
}
