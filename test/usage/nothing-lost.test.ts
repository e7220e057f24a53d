// CONTRACT §3 rule 9: a request that got a 2xx is durable; one that got an error changed nothing.
import { type SQL, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/token-service.js';
import { type Db, queryRows } from '../../src/db/client.js';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { JSON_HEADERS as json, requestsFor } from '../helpers/requests.js';

const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });

let partner: PartnerFixture;
let appToken: string;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
  appToken = await ctx.fixtures.appToken(partner.id);
});

const { user, enroll, usage } = requestsFor(ctx, () => partner);

/** Everything a request could have changed, as one comparable value. */
const snapshot = async () =>
  queryRows(
    ctx.app.db,
    sql`select (select count(*)::int from enrollments) as enrollments,
               (select count(*)::int from enrollments where unenrolled_at is not null) as unenrolled,
               (select count(*)::int from events) as events,
               (select count(*)::int from usage_ledger) as ledger,
               (select coalesce(sum(used), 0)::int from usage_counters) as used,
               (select count(*)::int from usage_counters) as counters,
               (select count(*)::int from idempotency_keys) as keys,
               (select string_agg(id || status || coalesce(max_enrollments::text, '-') || enrollments_count
                                  || coalesce(ends_at::text, '-') || updated_at::text, ',' order by id)
                from promotions) as promotions`,
  );

/**
 * Reads through another connection on PostgreSQL (so: what is committed); on PGlite, a
 * single embedded connection, through the app's own (nothing is pending between requests).
 */
async function committed<T>(query: SQL): Promise<T[]> {
  if (!ctx.db.url) return queryRows<T>(ctx.app.db, query);
  const client = new pg.Client({ connectionString: ctx.db.url });
  await client.connect();
  try {
    return await queryRows<T>(drizzle(client) as unknown as Db, query);
  } finally {
    await client.end();
  }
}

describe('CONTRACT §3 rule 9: nothing is lost', () => {
  it('changes nothing on any error answer', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const full = await ctx.fixtures.promotion(partner.id, { maxEnrollments: 1, taskLimitPerMonth: 5 });
    const a = await user();
    const b = await user();
    const enrolled = (await enroll(a.token, full)).json().enrollment_id as string;
    const gone = await ctx.fixtures.promotion(partner.id);
    const goneId = (await enroll(a.token, gone)).json().enrollment_id as string;
    await ctx.app.inject({ method: 'DELETE', url: `/v2/promotions/${goneId}`, headers: bearer(appToken) });
    const before = await snapshot();

    const answers = [
      // The enrollment row is inserted before the budget refuses it: the rollback removes it.
      await enroll(b.token, full),
      await enroll(a.token, full),
      await enroll(a.token, 'no_such_promotion'),
      await usage(goneId, { tasks: 1 }),
      await usage(enrolled, { tasks: 1, occurred_at: '2026-04-28T10:00:01Z' }),
      await usage(enrolled, { tasks: 0 }),
      await usage(`${full}:6b1f0c3e-9d2a-4c5b-8e7f-0a1b2c3d4e5f`, { tasks: 1 }),
      await ctx.admin({
        method: 'PATCH',
        url: `/admin/v1/promotions/${full}`,
        headers: json,
        payload: { max_enrollments: 0, status: 'paused' },
      }),
      await ctx.admin({
        method: 'PATCH',
        url: `/admin/v1/promotions/${full}`,
        headers: json,
        payload: { starts_at: '2030-01-01T00:00:00Z', ends_at: '2029-01-01T00:00:00Z' },
      }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([409, 409, 404, 409, 400, 400, 404, 409, 400]);
    expect(await snapshot()).toEqual(before);
  });

  it('makes a 2xx durable: the enrollment, its event and its Idempotency-Key replay are committed together', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 5 });
    const { token } = await user();
    const res = await enroll(token, promo, 'durable-key');
    expect(res.statusCode).toBe(201);
    const id = (res.json().enrollment_id as string).split(':')[1]!;
    const rows = await committed<{ enrollments: number; events: number; status: number; body: string }>(
      sql`select (select count(*)::int from enrollments where id = ${id}) as enrollments,
              (select count(*)::int from events where enrollment_id = ${id}) as events,
              k.response_status as status, k.response_body as body
          from idempotency_keys k where k.partner_id = ${partner.id} and k.key = 'durable-key'`,
    );
    expect(rows).toEqual([{ enrollments: 1, events: 1, status: 201, body: res.body }]);

    const used = await usage(res.json().enrollment_id, { tasks: 3, idempotency_key: 'u-1' });
    expect(used.statusCode).toBe(200);
    const metered = await committed<{ ledger: number; used: number; events: number }>(
      sql`select (select tasks_accepted from usage_ledger where enrollment_id = ${id} and idempotency_key = 'u-1') as ledger,
              (select used from usage_counters where enrollment_id = ${id}) as used,
              (select count(*)::int from events
               where enrollment_id = ${id} and type = 'usage.recorded') as events`,
    );
    expect(metered).toEqual([{ ledger: 3, used: 3, events: 1 }]);
  });

  it('rolls the enrollment back when its Idempotency-Key answer cannot be stored', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id);
    const { accountId } = await user();
    const { idempotency, enrollmentService } = ctx.app;
    const principal: Principal = {
      tokenId: 'test',
      kind: 'user',
      partnerId: partner.id,
      accountId,
      scopes: ['promotions:write'],
      expiresAt: new Date('2027-01-01T00:00:00Z'),
      testClockId: null,
      clockTime: null,
    };
    // Another process takes the key over while this request runs (its lock ran out), so the
    // claim this enrollment holds is no longer its own when the answer is stored.
    const storeResponse = idempotency.storeResponse;
    idempotency.storeResponse = async (claim, response, tx) => {
      await tx.execute(
        sql`update idempotency_keys set locked_until = ${new Date('2026-04-28T11:00:00Z')}
            where partner_id = ${partner.id} and key = 'stolen'`,
      );
      return storeResponse(claim, response, tx);
    };
    const attempt = enrollmentService
      .enroll(principal, promo, { idempotency: { key: 'stolen', requestHash: 'hash' } })
      .finally(() => {
        idempotency.storeResponse = storeResponse;
      });
    await expect(attempt).rejects.toMatchObject({ code: 'idempotency_key_in_use' });
    const [row] = await queryRows<{ n: number }>(
      ctx.app.db,
      sql`select count(*)::int as n from enrollments where promotion_id = ${promo}`,
    );
    expect(row!.n).toBe(0);
  });

  it('gives the key back after an unexpected failure, so the retry runs', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const { idempotency } = ctx.app;
    const scope = { partnerId: partner.id, key: 'crash' };
    await expect(
      idempotency.run(scope, 'hash', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const retried = await idempotency.run(scope, 'hash', async (claim) => {
      const response = { status: 201, body: '{"ok":true}', headers: {} };
      await ctx.app.db.transaction((tx) => idempotency.storeResponse(claim, response, tx));
      return response;
    });
    expect(retried).toEqual({ status: 201, body: '{"ok":true}', headers: {}, replayed: false });
  });
});
