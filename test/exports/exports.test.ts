import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { EXPORT_BATCH_SIZE } from '../../src/exports/repository.js';
import { ENROLLMENT_EXPORT_COLUMNS, USAGE_EXPORT_COLUMNS } from '../../src/exports/streams.js';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { requestsFor } from '../helpers/requests.js';

// Tokens outlive the clock's month-long moves.
const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
let partner: PartnerFixture;
const requests = requestsFor(ctx, () => partner);

/** RFC 4180 as the export writes it, for the expected bodies: quote only what needs it. */
const cell = (v: unknown) => {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};
const csv = (columns: readonly string[], rows: Record<string, unknown>[]) =>
  [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))]
    .map((l) => `${l}\r\n`)
    .join('');

const list = async (promotion: string, query = '') =>
  (
    await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${promotion}/enrollments?limit=100${query}` })
  ).json().data as Record<string, unknown>[];

describe('GET /admin/v1/promotions/{id}/enrollments.csv and .ndjson', () => {
  let promotion: string;
  const emails = new Map<string, string>();

  beforeAll(async () => {
    partner = await ctx.fixtures.partner();
    promotion = await ctx.fixtures.promotion(partner.id, { id: 'export_me', taskLimitPerMonth: 750 });
    // A formula, a comma and a quote in one email: the cells a spreadsheet must not run.
    for (const email of [
      '=HYPERLINK("http://evil.example"),x@example.com',
      'plain@example.com',
      '+1@example.com',
    ]) {
      const account = await ctx.fixtures.account(email);
      const res = await requests.enroll(await ctx.fixtures.userToken(partner.id, account.id), promotion);
      expect(res.statusCode).toBe(201);
      emails.set(account.id, email);
    }
    const [first] = await list(promotion);
    const unenroll = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${first!.enrollment_id}`,
      headers: bearer(await ctx.fixtures.appToken(partner.id)),
    });
    expect(unenroll.statusCode).toBe(204);
  });

  it('streams every enrollment as RFC 4180 CSV, formulas neutralised, the list fields and the email', async () => {
    const res = await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${promotion}/enrollments.csv` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="export_me-enrollments-2026-04-28.csv"',
    );
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    const rows = (await list(promotion)).map(
      (e): Record<string, unknown> => ({
        ...e,
        account_email: emails.get(e.account_id as string)!.replace(/^[=+]/, "'$&"),
      }),
    );
    expect(rows.map((r) => r.status).sort()).toEqual(['enrolled', 'enrolled', 'unenrolled']);
    expect(res.body).toBe(csv(ENROLLMENT_EXPORT_COLUMNS, rows));
    expect(res.body).toContain(`,"'=HYPERLINK(""http://evil.example""),x@example.com",`);
    expect(res.body).toContain(",'+1@example.com,");
  });

  it('answers NDJSON at .ndjson: one object per line, the CSV columns with nulls and numbers kept', async () => {
    const res = await ctx.admin({
      method: 'GET',
      url: `/admin/v1/promotions/${promotion}/enrollments.ndjson?status=enrolled`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="export_me-enrollments-2026-04-28.ndjson"',
    );
    const expected = (await list(promotion, '&status=enrolled')).map((e) => {
      const row: Record<string, unknown> = { ...e, account_email: emails.get(e.account_id as string) };
      return Object.fromEntries(ENROLLMENT_EXPORT_COLUMNS.map((c) => [c, row[c]]));
    });
    expect(expected).toHaveLength(2);
    expect(res.body).toBe(expected.map((e) => `${JSON.stringify(e)}\n`).join(''));
  });

  it('an empty promotion is the header alone (CSV) or nothing (NDJSON)', async () => {
    const empty = await ctx.fixtures.promotion(partner.id);
    const csvRes = await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${empty}/enrollments.csv` });
    expect(csvRes.statusCode).toBe(200);
    expect(csvRes.body).toBe(`${ENROLLMENT_EXPORT_COLUMNS.join(',')}\r\n`);
    const nd = await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${empty}/usage.ndjson` });
    expect(nd.statusCode).toBe(200);
    expect(nd.body).toBe('');
  });

  it('refuses an unknown promotion (404), a bad filter (400) and no token (401), in the envelope', async () => {
    const missing = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/nope/enrollments.csv' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(missing.json()).toEqual({
      errors: [
        {
          status: '404',
          code: 'promotion_not_found',
          title: 'Promotion Not Found',
          detail: 'The requested promotion was not found.',
        },
      ],
    });
    const badStatus = await ctx.admin({
      method: 'GET',
      url: `/admin/v1/promotions/${promotion}/enrollments.ndjson?status=gone`,
    });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().errors[0]).toMatchObject({
      code: 'invalid_request',
      source: { parameter: 'status' },
    });
    const badCycle = await ctx.admin({
      method: 'GET',
      url: `/admin/v1/promotions/${promotion}/usage.csv?cycle=2026-13`,
    });
    expect(badCycle.statusCode).toBe(400);
    expect(badCycle.json().errors[0]).toMatchObject({
      code: 'invalid_request',
      source: { parameter: 'cycle' },
    });
    const anonymous = await ctx.app.inject({
      method: 'GET',
      url: `/admin/v1/promotions/${promotion}/usage.csv`,
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('GET /admin/v1/promotions/{id}/usage.csv and .ndjson', () => {
  let promotion: string;
  let enrollmentA: string;
  let enrollmentB: string;

  beforeAll(async () => {
    partner = await ctx.fixtures.partner();
    promotion = await ctx.fixtures.promotion(partner.id, {
      id: 'usage_me',
      taskLimitPerMonth: 750,
      durationDays: 365,
    });
    ctx.clock.set('2026-10-28T10:00:00Z');
    enrollmentA = (await requests.enrollNew(promotion)).enrollmentId;
    ctx.clock.set('2026-11-03T08:30:00Z');
    enrollmentB = (await requests.enrollNew(promotion)).enrollmentId;
    expect((await requests.usage(enrollmentA, { tasks: 5 })).statusCode).toBe(200);
    expect((await requests.usage(enrollmentB, { tasks: 7 })).statusCode).toBe(200);
    ctx.clock.set('2026-12-01T00:00:00Z');
    expect((await requests.usage(enrollmentA, { tasks: 412 })).statusCode).toBe(200);
  });

  const account = async (enrollmentId: string) => {
    const [row] = await queryRows<{ account_id: string; email: string }>(
      ctx.app.db,
      sql`select e.account_id, a.email from enrollments e join accounts a on a.id = e.account_id
          where e.id = ${enrollmentId.split(':')[1]}`,
    );
    return { account_id: row!.account_id, account_email: row!.email };
  };

  it('lists one row per enrollment and billing cycle with usage, with the cycle bounds of rule 2', async () => {
    const res = await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${promotion}/usage.csv` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toBe('attachment; filename="usage_me-usage-2026-12-01.csv"');
    const a = { enrollment_id: enrollmentA, promotion_id: promotion, ...(await account(enrollmentA)) };
    const b = { enrollment_id: enrollmentB, promotion_id: promotion, ...(await account(enrollmentB)) };
    const rowsA = [
      { ...a, cycle_start: '2026-10-28T10:00:00Z', cycle_end: '2026-11-28T10:00:00Z', tasks_used: 5 },
      { ...a, cycle_start: '2026-11-28T10:00:00Z', cycle_end: '2026-12-28T10:00:00Z', tasks_used: 412 },
    ];
    const rowsB = [
      { ...b, cycle_start: '2026-11-03T08:30:00Z', cycle_end: '2026-12-03T08:30:00Z', tasks_used: 7 },
    ];
    const ordered = (
      enrollmentA.split(':')[1]! < enrollmentB.split(':')[1]! ? [...rowsA, ...rowsB] : [...rowsB, ...rowsA]
    ).map((r) => ({ ...r, task_limit_per_month: 750 }));
    expect(res.body).toBe(csv(USAGE_EXPORT_COLUMNS, ordered));

    // November: the cycles that start in it, one per enrollment.
    const november = await ctx.admin({
      method: 'GET',
      url: `/admin/v1/promotions/${promotion}/usage.ndjson?cycle=2026-11`,
    });
    expect(november.statusCode).toBe(200);
    expect(november.headers['content-disposition']).toBe(
      'attachment; filename="usage_me-usage-2026-11.ndjson"',
    );
    const nov = ordered.filter((r) => r.cycle_start.startsWith('2026-11'));
    expect(nov.map((r) => r.tasks_used).sort()).toEqual([412, 7]);
    expect(november.body).toBe(
      nov
        .map(
          (r) =>
            `${JSON.stringify(Object.fromEntries(USAGE_EXPORT_COLUMNS.map((c) => [c, r[c as keyof typeof r]])))}\n`,
        )
        .join(''),
    );
  });
});

describe('exports past one batch', () => {
  it('walks the keyset from batch to batch: every row once, in order', async () => {
    partner = await ctx.fixtures.partner();
    const promotion = await ctx.fixtures.promotion(partner.id, { id: 'many' });
    const count = EXPORT_BATCH_SIZE * 2 + 17;
    // Rows straight in SQL: the API path is tested above; here only the walk matters.
    await ctx.app.db.execute(sql`
      with acc as (
        insert into accounts (id, email, password_hash, created_at)
        select gen_random_uuid(), 'bulk-' || g || '@example.com', 'x', now() from generate_series(1, ${count}) g
        returning id
      ), enr as (
        insert into enrollments (id, promotion_id, account_id, partner_id, enrolled_at, expires_at)
        select gen_random_uuid(), ${promotion}, acc.id, ${partner.id}, '2026-04-01T00:00:00Z', null from acc
        returning id
      )
      insert into usage_counters (enrollment_id, cycle_start, used)
      select enr.id, c.start, 1 from enr
      cross join (values ('2026-04-01T00:00:00Z'::timestamptz), ('2026-05-01T00:00:00Z'::timestamptz)) c(start)`);
    const enr = await ctx.admin({
      method: 'GET',
      url: `/admin/v1/promotions/${promotion}/enrollments.ndjson`,
    });
    const ids = enr.body
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { enrollment_id: string }).enrollment_id.split(':')[1]!);
    expect(ids).toHaveLength(count);
    expect(new Set(ids).size).toBe(count);
    expect(ids).toEqual([...ids].sort());

    const usage = await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${promotion}/usage.csv` });
    const lines = usage.body.split('\r\n').slice(1, -1);
    expect(lines).toHaveLength(count * 2);
    const keys = lines.map((l) =>
      l
        .split(',')
        .slice(0, 5)
        .filter((_, i) => i === 0 || i === 4)
        .join(' '),
    );
    expect(new Set(keys).size).toBe(count * 2);
    expect(keys).toEqual([...keys].sort());
  });
});
