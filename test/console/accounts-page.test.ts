// CONTRACT §11, §12: the console's account page — found by email or external id (303, or
// HX-Redirect for htmx; 404 when nobody has it), showing the account, its enrollments with this
// cycle's usage, its entitlement now (the numbers of GET /admin/v1/entitlements) and the usage
// ledger of one enrollment, paginated; what the platform sent (event ids) escaped.
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../src/console/routes.js';
import type { PartnerFixture } from '../helpers/app.js';
import { useTestApp } from '../helpers/app.js';
import { meteringFor } from '../metering/helpers.js';
import { signedIn } from './console-helpers.js';

const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
let partner: PartnerFixture;
beforeAll(async () => {
  partner = await ctx.fixtures.partner();
});
const m = meteringFor(ctx, () => partner);
const INLINE_SCRIPT = /<script(?![^>]*\ssrc=)/i;
/** The text of each body row of the table with this id, cells joined by " | ", tags dropped. */
function rowsOf(body: string, id: string): string[] {
  const section = new RegExp(`<section id="${id}"[^>]*>([\\s\\S]*?)</section>`).exec(body)?.[1] ?? '';
  return [...section.matchAll(/<tr><td[\s\S]*?<\/tr>/g)].map((row) =>
    [...row[0].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)]
      .map((cell) => cell[1]!.replace(/<[^>]+>/g, '').trim())
      .join(' | '),
  );
}

describe('console: accounts (CONTRACT §12)', () => {
  it('finds an account by email or external id: a 303 to its page, HX-Redirect for htmx, 404 otherwise', async () => {
    const a = await m.account([]);
    const viewer = await signedIn(ctx, 'viewer');
    const byEmail = await viewer.get(
      `/console/accounts?q=${encodeURIComponent(`${a.externalId}@example.com`)}`,
    );
    expect(byEmail.statusCode).toBe(303);
    expect(byEmail.headers.location).toBe(`/console/accounts/${a.accountId}`);
    const byExternal = await viewer.get(`/console/accounts?q=${encodeURIComponent(a.externalId)}`);
    expect(byExternal.statusCode).toBe(303);
    expect(byExternal.headers.location).toBe(`/console/accounts/${a.accountId}`);
    const enhanced = await ctx.app.inject({
      method: 'GET',
      url: `/console/accounts?q=${encodeURIComponent(a.externalId)}`,
      headers: { cookie: viewer.cookie, 'hx-request': 'true' },
    });
    expect(enhanced.statusCode).toBe(200);
    expect(enhanced.headers['hx-redirect']).toBe(`/console/accounts/${a.accountId}`);
    expect(enhanced.body).toBe('');

    // External ids are case-sensitive.
    const otherCase = await viewer.get(
      `/console/accounts?q=${encodeURIComponent(a.externalId.toUpperCase())}`,
    );
    expect(otherCase.statusCode).toBe(404);
    const nobody = await viewer.get(`/console/accounts?q=${encodeURIComponent('<b>nobody</b>')}`);
    expect(nobody.statusCode).toBe(404);
    expect(nobody.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(nobody.body).toContain('No such account');
    expect(nobody.body).toContain('<strong>&lt;b&gt;nobody&lt;/b&gt;</strong>');
    expect(nobody.body).not.toContain('<b>nobody');

    const form = await viewer.get('/console/accounts');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<a href="/console/accounts" aria-current="page">Accounts</a>');
    expect(form.body).toContain('Search for an account');
  });

  it('shows the account, its enrollments, its entitlement as the admin API answers it, and an enrollment’s ledger', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const limited = await ctx.fixtures.promotion(partner.id, { durationDays: 30, taskLimitPerMonth: 10 });
    const unlimitedLater = await ctx.fixtures.promotion(partner.id, {
      durationDays: 90,
      taskLimitPerMonth: 100,
    });
    const a = await m.account([limited, unlimitedLater]);
    const [limitedId, laterId] = a.enrollments as [string, string];
    ctx.clock.set('2026-04-29T08:00:00Z');
    const sent = await m.ingest([
      { id: '<script>alert("evt")</script>', account_id: a.accountId, tasks: 14 },
      { id: 'evt-two', external_account_id: a.externalId, tasks: 3 },
    ]);
    expect(sent.statusCode).toBe(200);
    const admin = (await m.entitlements({ account_id: a.accountId })).json();
    expect(admin.sponsored_remaining).toBe(93);

    const viewer = await signedIn(ctx, 'viewer');
    const res = await viewer.get(`/console/accounts/${a.accountId}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).not.toMatch(INLINE_SCRIPT);
    expect(res.body).not.toMatch(/\sstyle=/);
    expect(res.body).toContain(`<dd>${a.externalId}@example.com</dd>`);
    expect(res.body).toContain(`<code>${a.externalId}</code>`);
    expect(res.body).toContain('<strong id="sponsored-remaining">93</strong>');
    // The entitlement, in allocation order, with the admin API's numbers.
    expect(rowsOf(res.body, 'entitlement')).toEqual(
      admin.enrollments.map(
        (e: {
          enrollment_id: string;
          tasks_used_this_month: number;
          task_limit_per_month: number;
          remaining: number;
        }) =>
          expect.stringMatching(
            new RegExp(
              `^${e.enrollment_id} \\| ${e.tasks_used_this_month} of ${e.task_limit_per_month} \\| ${e.remaining} \\| `,
            ),
          ),
      ),
    );
    expect(
      admin.enrollments.map((e: { enrollment_id: string; remaining: number }) => [
        e.enrollment_id,
        e.remaining,
      ]),
    ).toEqual([
      [limitedId, 0],
      [laterId, 93],
    ]);
    // Every enrollment, with this cycle's usage.
    expect(rowsOf(res.body, 'account-enrollments').sort()).toEqual(
      [
        `${limitedId} | ${limited} | enrolled | 10 of 10 | Usage ledger`,
        `${laterId} | ${unlimitedLater} | enrolled | 7 of 100 | Usage ledger`,
      ].sort(),
    );
    expect(res.body).not.toContain('id="ledger"');

    // The ledger of one of them: the platform's event id, escaped.
    const ledger = await viewer.get(
      `/console/accounts/${a.accountId}?ledger=${encodeURIComponent(limitedId)}`,
    );
    expect(ledger.statusCode).toBe(200);
    expect(ledger.body).not.toMatch(INLINE_SCRIPT);
    expect(ledger.body).toContain('<code>&lt;script&gt;alert(&quot;evt&quot;)&lt;/script&gt;</code>');
    expect(rowsOf(ledger.body, 'usage-ledger')).toEqual([
      '2026-04-29 08:00:00 UTC | 2026-04-29 08:00:00 UTC | 2026-04-28 10:00:00 UTC | 14 | 10 | &lt;script&gt;alert(&quot;evt&quot;)&lt;/script&gt;',
    ]);
  });

  it('pages the ledger 25 rows at a time, keeping the enrollment', async () => {
    const promotion = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: null });
    const a = await m.account([promotion]);
    const enrollmentId = a.enrollments[0]!;
    for (let i = 0; i < 27; i++) {
      const res = await m.ingest([
        { id: `page-${String(i).padStart(2, '0')}`, account_id: a.accountId, tasks: 1 },
      ]);
      expect(res.statusCode).toBe(200);
    }
    const viewer = await signedIn(ctx, 'viewer');
    const first = await viewer.get(
      `/console/accounts/${a.accountId}?ledger=${encodeURIComponent(enrollmentId)}`,
    );
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('<strong id="sponsored-remaining">no limit</strong>');
    expect(rowsOf(first.body, 'usage-ledger')).toHaveLength(25);
    const next = /<section id="usage-ledger"[^>]*>[\s\S]*?<a href="([^"]+)" rel="next"/
      .exec(first.body)![1]!
      .replaceAll('&amp;', '&');
    expect(next).toMatch(
      new RegExp(
        `^/console/accounts/${a.accountId}\\?ledger=${encodeURIComponent(enrollmentId)}&usage_cursor=`,
      ),
    );
    const second = await viewer.get(next);
    expect(second.statusCode).toBe(200);
    expect(rowsOf(second.body, 'usage-ledger')).toHaveLength(2);
    expect(second.body).toContain('← First page');
    const keys = [
      ...first.body.matchAll(/<code>(page-\d\d)<\/code>/g),
      ...second.body.matchAll(/<code>(page-\d\d)<\/code>/g),
    ].map((match) => match[1]);
    expect(new Set(keys).size).toBe(27);
  });

  it('answers 404 for an unknown or malformed account id, and for the ledger of another account’s enrollment', async () => {
    const promotion = await ctx.fixtures.promotion(partner.id);
    const a = await m.account([]);
    const other = await m.account([promotion]);
    const viewer = await signedIn(ctx, 'viewer');
    const unknown = await viewer.get('/console/accounts/00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('<h1>Account Not Found</h1>');
    expect((await viewer.get('/console/accounts/not-a-uuid')).statusCode).toBe(404);
    const foreign = await viewer.get(
      `/console/accounts/${a.accountId}?ledger=${encodeURIComponent(other.enrollments[0]!)}`,
    );
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).toContain('<h1>Enrollment Not Found</h1>');
    const empty = await viewer.get(`/console/accounts/${a.accountId}`);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('is not enrolled in any promotion.');
    expect(empty.body).toContain(
      '<strong id="sponsored-remaining">0</strong> (no enrollment sponsors a task now)',
    );
  });

  it('needs a session: signed out, a GET goes to the sign-in page', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/console/accounts?q=x' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/sign-in?next=${encodeURIComponent('/console/accounts?q=x')}`);
  });
});
