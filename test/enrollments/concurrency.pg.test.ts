import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { type PartnerFixture, useTestApp } from '../helpers/app.js';

// Real PostgreSQL, a real listening server and a pool wide enough for true contention.
const ctx = useTestApp({
  poolMax: 20,
  env: { RATE_LIMIT_PER_HOUR: '100000', RATE_LIMIT_IP_PER_HOUR: '100000' },
});
let base: string;
let partner: PartnerFixture;

beforeAll(async () => {
  base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  partner = await ctx.fixtures.partner();
});

const enroll = (token: string, promotionId: string) =>
  fetch(`${base}/v2/promotions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ promotion_id: promotionId }),
  }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as { errors?: Array<{ code: string }> },
  }));

describe('rules under concurrency on PostgreSQL', () => {
  it('50 concurrent identical enrollments give exactly one 201 (rule 4)', async () => {
    const promo = await ctx.fixtures.promotion(partner.id);
    const account = await ctx.fixtures.account();
    const token = await ctx.fixtures.userToken(partner.id, account.id);
    const results = await Promise.all(Array.from({ length: 50 }, () => enroll(token, promo)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(49);
    for (const r of refused)
      expect(r).toMatchObject({ status: 409, body: { errors: [{ code: 'already_enrolled' }] } });
    const [row] = await queryRows<{ n: number }>(
      ctx.app.db,
      sql`select count(*)::int as n from enrollments where promotion_id = ${promo}`,
    );
    expect(row?.n).toBe(1);
  });

  it('60 accounts into max_enrollments 10 give exactly ten (rule 5)', async () => {
    const promo = await ctx.fixtures.promotion(partner.id, { maxEnrollments: 10 });
    const tokens = await Promise.all(
      Array.from({ length: 60 }, async () =>
        ctx.fixtures.userToken(partner.id, (await ctx.fixtures.account()).id),
      ),
    );
    const results = await Promise.all(tokens.map((t) => enroll(t, promo)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(50);
    for (const r of refused)
      expect(r).toMatchObject({ status: 409, body: { errors: [{ code: 'promotion_full' }] } });
    const [row] = await queryRows<{ n: number; counter: number }>(
      ctx.app.db,
      sql`select (select count(*)::int from enrollments where promotion_id = ${promo}) as n,
                 (select enrollments_count from promotions where id = ${promo}) as counter`,
    );
    expect(row).toEqual({ n: 10, counter: 10 });
  });

  it('re-enrollment races still leave one current enrollment per account (rule 4)', async () => {
    const promo = await ctx.fixtures.promotion(partner.id, { allowReenrollment: true });
    const account = await ctx.fixtures.account();
    const token = await ctx.fixtures.userToken(partner.id, account.id);
    const first = await enroll(token, promo);
    expect(first.status).toBe(201);
    await ctx.app.db.execute(sql`update enrollments set unenrolled_at = now() where promotion_id = ${promo}`);
    const results = await Promise.all(Array.from({ length: 30 }, () => enroll(token, promo)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const [row] = await queryRows<{ current: number }>(
      ctx.app.db,
      sql`select count(*)::int as current from enrollments where promotion_id = ${promo} and is_current`,
    );
    expect(row?.current).toBe(1);
  });
});
