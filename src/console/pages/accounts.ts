// Console: find an account (CONTRACT §11, §12) by its email or the platform's external id, and
// read one: its enrollments with this cycle's usage, its entitlement now (the numbers GET
// /admin/v1/entitlements answers, from the same service) and the usage ledger of one enrollment.
import type { FastifyPluginAsync } from 'fastify';
import { toAdminEnrollmentResource } from '../../enrollments/resource.js';
import { ERRORS } from '../../errors.js';
import { parseEnrollmentId, UUID_PATTERN } from '../../rules/enrollment-id.js';
import { toRfc3339 } from '../../rules/time.js';
import {
  accountEnrollmentsPage,
  enrollmentColumns,
  ledgerColumns,
  usageLedgerPage,
} from '../enrollment-lists.js';
import { href, html } from '../html.js';
import { details, empty, notice, page, table, when } from '../layout.js';
import { listPage, redirectToFound, sendSearchPage } from '../list-page.js';
import type { ConsoleRepository } from '../repository.js';
import { pageContext, queryOf, sendPage } from '../request.js';

const SEARCH = {
  title: 'Accounts',
  nav: 'accounts',
  path: '/console/accounts',
  label: 'Account email or external id',
  placeholder: 'jane@example.com or user-8812',
} as const;

const usage = (used: number, limit: number | null) =>
  `${used}${limit === null ? ' (no limit)' : ` of ${limit}`}`;

export const accountPages = (repository: ConsoleRepository): FastifyPluginAsync =>
  async function consoleAccounts(app) {
    const { enrollmentViews, accountsRepository: accounts, clock, entitlementService } = app;

    app.get('/accounts', { config: { role: 'viewer' } }, async function searchAccountsPage(request, reply) {
      const ctx = pageContext(request);
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
        if (account) return redirectToFound(request, reply, `/console/accounts/${account.id}`);
        results = empty(
          'No such account',
          html`No account has the email or external id <strong>${q}</strong>. External ids are case-sensitive.`,
        );
        status = 404;
      }
      return sendSearchPage(reply, ctx, { ...SEARCH, q, results, status });
    });

    app.get(
      '/accounts/:account_id',
      { config: { role: 'viewer' } },
      async function accountPage(request, reply) {
        const ctx = pageContext(request);
        const { account_id: id } = request.params as { account_id: string };
        const account = UUID_PATTERN.test(id) ? await accounts.findById(id.toLowerCase()) : undefined;
        if (!account) throw ERRORS.accountNotFound();
        const now = clock.now();
        const query = queryOf(request);
        const base = `/console/accounts/${account.id}`;

        // Its enrollments, every promotion, unenrolled ones too: this cycle's usage of each.
        const views = await accountEnrollmentsPage(
          repository,
          enrollmentViews,
          account.id,
          query.cursor,
          now,
        );

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
          const ledger = await usageLedgerPage(repository, ledgerKey.id, query.usage_cursor);
          ledgerSection = html`<section>
<h2 id="ledger">Usage ledger of <code>${query.ledger}</code></h2>
${listPage({
  id: 'usage-ledger',
  caption: 'Task usage recorded for this enrollment, newest first',
  page: ledger,
  cursor: query.usage_cursor,
  at: (cursor) => href(base, { cursor: query.cursor, ledger: query.ledger, usage_cursor: cursor }),
  empty: empty('No usage yet', 'Usage events and usage calls drawn from this enrollment appear here.'),
  columns: [
    { label: 'Recorded', cell: (u) => when(toRfc3339(new Date(u.created_at))) },
    ...ledgerColumns,
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
    enrollmentColumns.enrollment,
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
${listPage({
  id: 'account-enrollments',
  caption: 'Every enrollment of this account',
  page: { ...views, data: views.data.map((v) => toAdminEnrollmentResource(v, now)) },
  cursor: query.cursor,
  at: (cursor) => href(base, { ledger: query.ledger, cursor }),
  empty: empty('No enrollments', html`<strong>${account.email}</strong> is not enrolled in any promotion.`),
  columns: [
    enrollmentColumns.enrollment,
    enrollmentColumns.promotion,
    enrollmentColumns.status,
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
