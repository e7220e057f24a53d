// CONTRACT §10, `prune: true`: what the file does not name goes — except enrollment history,
// which is never deleted (CONTRACT §3 rule 8): a promotion with enrollments is ended instead,
// partners and accounts with enrollments are kept. Without prune nothing unnamed is touched.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { bearer, useTestApp } from '../helpers/app.js';
import { basic, FORM } from '../oauth/oauth-helpers.js';

const ctx = useTestApp();
const SECRET = 'cs~prune!client-secret-01';
const PASSWORD = 'pw~prune!password';
const HOOK = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

const partner = (client_id: string) => ({
  client_id,
  name: client_id,
  client_secret: SECRET,
  redirect_uris: ['http://127.0.0.1:4000/callback'],
  sandbox: true,
});
const promotion = (id: string, owner: string) => ({ id, partner: owner, name: id, duration_days: 30 });
const endpoint = (owner: string, path: string) => ({
  partner: owner,
  url: `http://127.0.0.1:4000/${path}`,
  secret: HOOK,
});

/** Everything the store holds at first. */
const EVERYTHING = {
  partners: [partner('acme'), partner('gone-co'), partner('kept-co')],
  accounts: ['a1@example.com', 'a2@example.com', 'a3@example.com'].map((email) => ({
    email,
    password: PASSWORD,
  })),
  promotions: [
    promotion('x1', 'acme'),
    promotion('x2', 'gone-co'),
    promotion('x3', 'kept-co'),
    promotion('x4', 'kept-co'),
  ],
  webhook_endpoints: [endpoint('acme', 'e1'), endpoint('gone-co', 'e2'), endpoint('acme', 'e3')],
};
/** What the file keeps naming. */
const KEPT = {
  partners: [partner('acme')],
  accounts: [{ email: 'a1@example.com', password: PASSWORD }],
  promotions: [promotion('x1', 'acme')],
  webhook_endpoints: [endpoint('acme', 'e1')],
};

async function apply(document: unknown, dryRun = false) {
  const res = await ctx.admin({
    method: 'POST',
    url: '/admin/v1/bootstrap',
    payload: { document, dry_run: dryRun },
  });
  expect(res.statusCode).toBe(200);
  return res.json() as {
    changes: Array<{
      kind: string;
      key: string;
      path: string | null;
      outcome: string;
      detail: string | null;
    }>;
    summary: Record<string, number>;
  };
}
const rows = (changes: Awaited<ReturnType<typeof apply>>['changes']) =>
  changes.map((c) => [c.kind, c.key, c.outcome, ...(c.detail ? [c.detail] : [])]);

const count = async (query: ReturnType<typeof sql>) =>
  (await queryRows<{ n: number }>(ctx.app.db, query))[0]!.n;

const token = (clientId: string) =>
  ctx.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { ...FORM, authorization: basic(clientId, SECRET) },
    payload: 'grant_type=client_credentials',
  });

let clockAccountId: string;
let x3Enrollment: string;

beforeAll(async () => {
  await apply(EVERYTHING);
  const ids = Object.fromEntries(
    (
      await queryRows<{ client_id: string; id: string }>(ctx.app.db, sql`select client_id, id from partners`)
    ).map((r) => [r.client_id, r.id]),
  );
  const a3 = (
    await queryRows<{ id: string }>(ctx.app.db, sql`select id from accounts where email = 'a3@example.com'`)
  )[0]!;
  // kept-co's user a3 enrolls in x3 and x4; x4 is then ended by the operator.
  const user = await ctx.fixtures.userToken(ids['kept-co']!, a3.id);
  for (const id of ['x3', 'x4']) {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: { ...bearer(user), 'content-type': 'application/json' },
      payload: { promotion_id: id },
    });
    expect(res.statusCode).toBe(201);
    if (id === 'x3') x3Enrollment = res.json().enrollment_id;
  }
  expect(
    (await ctx.admin({ method: 'PATCH', url: '/admin/v1/promotions/x4', payload: { status: 'ended' } }))
      .statusCode,
  ).toBe(200);
  // gone-co has a live token; acme (sandbox) has a test clock with an account on it.
  expect((await token('gone-co')).statusCode).toBe(200);
  const app = (await token('acme')).json().access_token;
  const clock = await ctx.app.inject({
    method: 'POST',
    url: '/v2/test_helpers/test_clocks',
    headers: { ...bearer(app), 'content-type': 'application/json' },
    payload: { frozen_time: '2026-04-28T10:00:00Z' },
  });
  const account = await ctx.app.inject({
    method: 'POST',
    url: `/v2/test_helpers/test_clocks/${clock.json().id}/accounts`,
    headers: { ...bearer(app), 'content-type': 'application/json' },
    payload: {},
  });
  clockAccountId = account.json().account_id;
});

describe('prune', () => {
  it('is off by default: a smaller file touches nothing it does not name', async () => {
    const result = await apply(KEPT);
    expect(rows(result.changes)).toEqual([
      ['partner', 'acme', 'unchanged'],
      ['account', 'a1@example.com', 'unchanged'],
      ['promotion', 'x1', 'unchanged'],
      ['webhook_endpoint', 'acme http://127.0.0.1:4000/e1', 'unchanged'],
    ]);
    expect(await count(sql`select count(*)::int as n from partners`)).toBe(3);
  });

  const PRUNED = [
    ['partner', 'acme', 'unchanged'],
    ['account', 'a1@example.com', 'unchanged'],
    ['promotion', 'x1', 'unchanged'],
    ['webhook_endpoint', 'acme http://127.0.0.1:4000/e1', 'unchanged'],
    ['webhook_endpoint', 'acme http://127.0.0.1:4000/e3', 'deleted'],
    ['webhook_endpoint', 'gone-co http://127.0.0.1:4000/e2', 'deleted'],
    ['promotion', 'x2', 'deleted'],
    ['promotion', 'x3', 'ended', 'has 1 enrollment, kept for their history'],
    ['promotion', 'x4', 'kept', 'has 1 enrollment, kept for their history'],
    ['account', 'a2@example.com', 'deleted'],
    ['account', 'a3@example.com', 'kept', 'has 2 enrollments, kept for their history'],
    ['partner', 'gone-co', 'deleted'],
    ['partner', 'kept-co', 'kept', 'has 2 enrollments, kept for their history'],
  ];

  it('plans what it would remove and changes nothing with dry_run', async () => {
    const plan = await apply({ ...KEPT, prune: true }, true);
    expect(rows(plan.changes)).toEqual(PRUNED);
    expect(plan.changes.slice(4).every((c) => c.path === null)).toBe(true);
    expect(await count(sql`select count(*)::int as n from partners`)).toBe(3);
    expect(await count(sql`select count(*)::int as n from promotions where status = 'ended'`)).toBe(1);
  });

  it('deletes what has no history, ends enrolled promotions, keeps enrolled partners and accounts', async () => {
    const result = await apply({ ...KEPT, prune: true });
    expect(rows(result.changes)).toEqual(PRUNED);
    expect(result.summary).toEqual({ created: 0, updated: 0, unchanged: 4, deleted: 5, ended: 1, kept: 3 });

    expect(
      (
        await queryRows<{ client_id: string }>(ctx.app.db, sql`select client_id from partners order by 1`)
      ).map((r) => r.client_id),
    ).toEqual(['acme', 'kept-co']);
    // gone-co went with its token; its client cannot authenticate any more.
    expect((await token('gone-co')).statusCode).toBe(401);
    expect(
      await count(sql`select count(*)::int as n from access_tokens t
      where not exists (select 1 from partners p where p.id = t.partner_id)`),
    ).toBe(0);
    expect(
      (
        await queryRows<{ email: string }>(
          ctx.app.db,
          sql`select email from accounts where test_clock_id is null order by 1`,
        )
      ).map((r) => r.email),
    ).toEqual(['a1@example.com', 'a3@example.com']);
    // The test clock's account is the sandbox partner's, not the file's: untouched.
    expect(await count(sql`select count(*)::int as n from accounts where id = ${clockAccountId}`)).toBe(1);
    expect(
      await queryRows<{ id: string; status: string }>(
        ctx.app.db,
        sql`select id, status from promotions order by id`,
      ),
    ).toEqual([
      { id: 'x1', status: 'active' },
      { id: 'x3', status: 'ended' },
      { id: 'x4', status: 'ended' },
    ]);
    // x3 was ended as the admin API ends one (rule 10): its live enrollment expired at once.
    const enrollments = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/x3/enrollments' });
    expect(enrollments.json().data).toEqual([
      expect.objectContaining({ enrollment_id: x3Enrollment, status: 'expired' }),
    ]);
    expect(await count(sql`select count(*)::int as n from webhook_endpoints where deleted_at is null`)).toBe(
      1,
    );
  });

  it('applied again, only reports what history keeps', async () => {
    const result = await apply({ ...KEPT, prune: true });
    expect(rows(result.changes)).toEqual([
      ['partner', 'acme', 'unchanged'],
      ['account', 'a1@example.com', 'unchanged'],
      ['promotion', 'x1', 'unchanged'],
      ['webhook_endpoint', 'acme http://127.0.0.1:4000/e1', 'unchanged'],
      ['promotion', 'x3', 'kept', 'has 1 enrollment, kept for their history'],
      ['promotion', 'x4', 'kept', 'has 1 enrollment, kept for their history'],
      ['account', 'a3@example.com', 'kept', 'has 2 enrollments, kept for their history'],
      ['partner', 'kept-co', 'kept', 'has 2 enrollments, kept for their history'],
    ]);
  });
});
