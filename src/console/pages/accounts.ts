// Console: find an account (CONTRACT §11, §12) by its email or the platform's external id, and
// read one: its enrollments with this cycle's usage, its entitlement now (the numbers GET
// /admin/v1/entitlements answers, from the same service) and the usage ledger of one enrollment.
import type { FastifyPluginAsync } from 'fastify';
import { toAdminEnrollmentResource } from '../../enrollments/resource.js';
import { ERRORS } from '../../errors.js';
import { encodeCursor, readCursor } from '../../pagination.js';
import { parseEnrollmentId } from '../../rules/enrollment-id.js';
import { toRfc3339 } from '../../rules/time.js';
import { href, html } from '../html.js';
import { badge, details, empty, notice, page, pageHref, table, when } from '../layout.js';
import { type ConsoleDeps, pageContext, queryOf, sendPage } from '../request.js';

const PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const searchForm = (
  q: string,
) => html`<form class="search" method="get" action="/console/accounts" role="search"
 hx-get="/console/accounts" hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true">
<label for="q">Account email or external id</label>
<div class="search-row">
<input id="q" name="q" type="search" value="${q}" placeholder="jane@example.com or user-8812" required maxlength="320">
<button type="submit">Search</button>
</div>
</form>`;

const usage = (used: number, limit: number | null) =>
  `${used}${limit === null ? ' (no limit)' : ` of ${limit}`}`;

export const accountPages = (deps: ConsoleDeps): FastifyPluginAsync =>
  async function consoleAccounts(app) {
    const { enrollmentViews, accountsRepository: accounts, clock, entitlementService } = app;

    app.get('/accounts', { config: { role: 'viewer' } }, async function searchAccountsPage(request, reply) {
      const ctx = await pageContext(deps, request);
      const q = (queryOf(request).q ?? '').trim();
      let results = empty(
        'Search for an account',
        'Type an account’s email address, or the id your platform knows it by (its external id).',
      );
      let status = 200;
      if (q !== '') {
        // An email has an @ and so may an external id: the email first, then the external id.
        const account =
          (q.includes('@') && q.length <= 320 ? await accounts.findByEmail(q) : undefined) ??
          (/^[A-Za-z0-9._:@-]{1,128}$/.test(q) ? await accounts.findByExternalId(q) : undefined);
        if (account) {
          const url = `/console/accounts/${account.id}`;
          // htmx follows a 303 inside fetch and would swap the wrong page: it navigates on HX-Redirect.
          if (request.headers['hx-request'] === 'true')
            return reply.header('hx-redirect', url).code(200).send('');
          return reply.redirect(url, 303);
        }
        results = empty(
          'No such account',
          html`No account has the email or external id <strong>${q}</strong>. External ids are case-sensitive.`,
        );
        status = 404;
      }
      return sendPage(
        reply,
        status,
        page(ctx, {
          title: 'Accounts',
          nav: 'accounts',
          body: html`${searchForm(q)}<div id="results">${results}</div>`,
        }),
      );
    });

    app.get(
      '/accounts/:account_id',
      { config: { role: 'viewer' } },
      async function accountPage(request, reply) {
        const ctx = await pageContext(deps, request);
        const { account_id: id } = request.params as { account_id: string };
        const account = UUID.test(id) ? await accounts.findById(id.toLowerCase()) : undefined;
        if (!account) throw ERRORS.accountNotFound();
        const now = clock.now();
        const query = queryOf(request);
        const base = `/console/accounts/${account.id}`;

        // Its enrollments, every promotion, unenrolled ones too: this cycle's usage of each.
        const afterId = readCursor(query.cursor, (c) => (c.after && UUID.test(c.after) ? c.after : null));
        const keys = await deps.repository.enrollmentsOfAccount(account.id, {
          limit: PAGE_SIZE + 1,
          afterId,
        });
        const keysPage = keys.slice(0, PAGE_SIZE);
        const views = new Map(
          (
            await enrollmentViews.findViewsByIds(
              keysPage.map((k) => k.id),
              now,
            )
          ).map((v) => [v.id, v]),
        );
        const rows = keysPage.flatMap((k) => {
          const view = views.get(k.id);
          return view ? [toAdminEnrollmentResource(view, now)] : [];
        });

        // What would be sponsored now: the service GET /admin/v1/entitlements answers from.
        const entitlement = await entitlementService.entitlement({ accountId: account.id });

        // The ledger of one enrollment of the account (?ledger=<enrollment id>).
        const ledgerKey = query.ledger ? parseEnrollmentId(query.ledger) : null;
        const [ledgerView] = ledgerKey ? await enrollmentViews.findViewsByIds([ledgerKey.id], now) : [];
        const ledgerOwned =
          ledgerKey &&
          ledgerView?.account_id === account.id &&
          ledgerView.promotion_id === ledgerKey.promotionId;
        if (query.ledger && !ledgerOwned) throw ERRORS.enrollmentNotFound();
        let ledgerSection = html``;
        if (ledgerKey && ledgerOwned) {
          const before = readCursor(query.usage_cursor, (c) => {
            const at = Number(c.t);
            return c.t && Number.isFinite(at) && c.id && UUID.test(c.id) ? { at, id: c.id } : null;
          });
          const ledger = await deps.repository.usageLedger(ledgerKey.id, { limit: PAGE_SIZE + 1, before });
          const ledgerPage = ledger.slice(0, PAGE_SIZE);
          const last = ledgerPage.at(-1);
          ledgerSection = html`<section>
<h2 id="ledger">Usage ledger of <code>${query.ledger}</code></h2>
${table({
  id: 'usage-ledger',
  caption: 'Task usage recorded for this enrollment, newest first',
  rows: ledgerPage,
  next:
    ledger.length > PAGE_SIZE && last
      ? href(base, {
          cursor: query.cursor,
          ledger: query.ledger,
          usage_cursor: encodeCursor({ t: String(last.created_at), id: last.id }),
        })
      : null,
  first: query.usage_cursor ? href(base, { cursor: query.cursor, ledger: query.ledger }) : null,
  empty: empty('No usage yet', 'Usage events and usage calls drawn from this enrollment appear here.'),
  columns: [
    { label: 'Recorded', cell: (u) => when(toRfc3339(new Date(u.created_at))) },
    { label: 'Occurred', cell: (u) => when(toRfc3339(new Date(u.occurred_at))) },
    { label: 'Billing cycle', cell: (u) => when(toRfc3339(new Date(u.cycle_start))) },
    { label: 'Requested', numeric: true, cell: (u) => u.tasks_requested },
    { label: 'Accepted', numeric: true, cell: (u) => u.tasks_accepted },
    {
      label: 'Event id or idempotency key',
      cell: (u) => {
        const key = u.event_id ?? u.idempotency_key;
        return key ? html`<code>${key}</code>` : html`<span class="muted">—</span>`;
      },
    },
  ],
})}
</section>`;
        }

        return sendPage(
          reply,
          200,
          page(ctx, {
            title: 'Account',
            nav: 'accounts',
            crumbs: [{ label: 'Accounts', path: '/console/accounts' }, { label: account.email }],
            notice: account.testClockId
              ? notice('info', 'This is a test-clock account (CONTRACT §9): its time is its clock’s.')
              : null,
            body: html`${details([
              ['Account id', html`<code>${account.id}</code>`],
              ['Email', account.email],
              [
                'External id',
                account.externalId
                  ? html`<code>${account.externalId}</code>`
                  : html`<span class="muted">none</span>`,
              ],
              ['Created', when(toRfc3339(account.createdAt))],
            ])}
<section>
<h2>Entitlement now</h2>
<p>Sponsored tasks left at ${when(entitlement.at)}: <strong id="sponsored-remaining">${
              entitlement.sponsored_remaining === null ? 'no limit' : String(entitlement.sponsored_remaining)
            }</strong>${entitlement.enrollments.length === 0 ? ' (no enrollment sponsors a task now)' : ''}.</p>
${table({
  id: 'entitlement',
  caption: 'Enrollments that would sponsor a task now, in the order they are drawn from',
  rows: entitlement.enrollments,
  next: null,
  empty: empty(
    'Nothing sponsored',
    'No enrollment of this account sponsors a task now: its tasks are unsponsored.',
  ),
  columns: [
    {
      label: 'Enrollment',
      cell: (e) =>
        html`<a href="/console/enrollments/${encodeURIComponent(e.enrollment_id)}"><code>${e.enrollment_id}</code></a>`,
    },
    {
      label: 'Used this cycle',
      numeric: true,
      cell: (e) => usage(e.tasks_used_this_month, e.task_limit_per_month),
    },
    { label: 'Remaining', numeric: true, cell: (e) => (e.remaining === null ? 'no limit' : e.remaining) },
    { label: 'Cycle ends', cell: (e) => when(e.billing_cycle_end) },
    { label: 'Expires', cell: (e) => when(e.expiration_date) },
  ],
})}
</section>
<section>
<h2>Enrollments</h2>
${table({
  id: 'account-enrollments',
  caption: 'Every enrollment of this account',
  rows,
  next:
    keys.length > PAGE_SIZE
      ? pageHref(base, { ledger: query.ledger }, encodeCursor({ after: keysPage.at(-1)!.id }))
      : null,
  first: query.cursor ? href(base, { ledger: query.ledger }) : null,
  empty: empty('No enrollments', html`<strong>${account.email}</strong> is not enrolled in any promotion.`),
  columns: [
    {
      label: 'Enrollment',
      cell: (e) =>
        html`<a href="/console/enrollments/${encodeURIComponent(e.enrollment_id)}"><code>${e.enrollment_id}</code></a>`,
    },
    {
      label: 'Promotion',
      cell: (e) =>
        html`<a href="/console/promotions/${encodeURIComponent(e.promotion_id)}">${e.promotion_id}</a>`,
    },
    { label: 'Status', cell: (e) => badge(e.status) },
    {
      label: 'Used this cycle',
      numeric: true,
      cell: (e) => usage(e.tasks_used_this_month, e.task_limit_per_month),
    },
    {
      label: 'Ledger',
      cell: (e) =>
        html`<a href="${href(base, { cursor: query.cursor, ledger: e.enrollment_id })}#ledger">Usage ledger</a>`,
    },
  ],
})}
</section>
${ledgerSection}`,
          }),
        );
      },
    );
  };
