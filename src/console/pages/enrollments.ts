// Console: find an enrollment (CONTRACT §11) by its id or its account's email, and read one:
// its status and usage now, its usage ledger and its events (the trail of what happened).

import type { FastifyPluginAsync } from 'fastify';
import { EVENT_ID_PATTERN } from '../../db/ids.js';
import { toAdminEnrollmentResource, toAuditTrailEntry } from '../../enrollments/resource.js';
import { ERRORS } from '../../errors.js';
import { readTimeKeyCursor, timeKeyCursor, toPage } from '../../pagination.js';
import { formatEnrollmentId, parseEnrollmentId } from '../../rules/enrollment-id.js';
import {
  accountEnrollmentsPage,
  enrollmentColumns,
  ledgerColumns,
  usageLedgerPage,
} from '../enrollment-lists.js';
import { href, html } from '../html.js';
import { badge, details, empty, notice, page, when } from '../layout.js';
import { listPage, PAGE_SIZE, redirectToFound, sendSearchPage } from '../list-page.js';
import type { ConsoleRepository } from '../repository.js';
import { pageContext, queryOf, sendPage } from '../request.js';

const SEARCH = {
  title: 'Enrollments',
  nav: 'enrollments',
  path: '/console/enrollments',
  label: 'Enrollment id or account email',
  placeholder: 'spring_2026:9f6c… or jane@example.com',
} as const;

export const enrollmentPages = (repository: ConsoleRepository): FastifyPluginAsync =>
  async function consoleEnrollments(app) {
    const { enrollmentViews, enrollmentAuditTrail, accountsRepository: accounts, clock } = app;

    app.get(
      '/enrollments',
      { config: { role: 'viewer' } },
      async function searchEnrollmentsPage(request, reply) {
        const ctx = pageContext(request);
        const query = queryOf(request);
        const q = (query.q ?? '').trim();
        const now = clock.now();
        let results = empty(
          'Search for an enrollment',
          'Paste an enrollment id (as partners see it) or an account’s email address.',
        );
        let status = 200;
        if (q.includes('@')) {
          const account = q.length <= 320 ? await accounts.findByEmail(q) : undefined;
          if (!account) {
            results = empty(
              'No account with this email',
              html`No account is registered as <strong>${q}</strong>.`,
            );
            status = 404;
          } else {
            const views = await accountEnrollmentsPage(
              repository,
              enrollmentViews,
              account.id,
              query.cursor,
              now,
            );
            results = listPage({
              id: 'enrollment-results',
              caption: `Enrollments of ${account.email}`,
              page: { ...views, data: views.data.map((v) => toAdminEnrollmentResource(v, now)) },
              cursor: query.cursor,
              at: (cursor) => href('/console/enrollments', { q, cursor }),
              empty: empty(
                'No enrollments',
                html`<strong>${account.email}</strong> is not enrolled in any promotion.`,
              ),
              columns: [
                enrollmentColumns.enrollment,
                enrollmentColumns.promotion,
                enrollmentColumns.status,
                enrollmentColumns.used,
                enrollmentColumns.enrolled,
              ],
            });
          }
        } else if (q !== '') {
          const key = parseEnrollmentId(q);
          if (key && (await enrollmentViews.exists(key))) {
            return redirectToFound(request, reply, `/console/enrollments/${encodeURIComponent(q)}`);
          }
          results = empty(
            'No such enrollment',
            html`No enrollment has the id <code>${q}</code>. Enrollment ids look like <code>promotion_id:uuid</code>.`,
          );
          status = 404;
        }
        return sendSearchPage(reply, ctx, { ...SEARCH, q, results, status });
      },
    );

    app.get(
      '/enrollments/:enrollment_id',
      { config: { role: 'viewer' } },
      async function enrollmentPage(request, reply) {
        const ctx = pageContext(request);
        const { enrollment_id: id } = request.params as { enrollment_id: string };
        const key = parseEnrollmentId(id);
        const now = clock.now();
        const [view] = key ? await enrollmentViews.findViewsByIds([key.id], now) : [];
        if (!key || !view || view.promotion_id !== key.promotionId) throw ERRORS.enrollmentNotFound();
        const e = toAdminEnrollmentResource(view, now);
        const account = await accounts.findById(view.account_id);
        const query = queryOf(request);
        const base = `/console/enrollments/${encodeURIComponent(formatEnrollmentId(key.promotionId, key.id))}`;

        const ledger = await usageLedgerPage(repository, key.id, query.usage_cursor);

        const eventsAfter = readTimeKeyCursor(query.events_cursor, EVENT_ID_PATTERN);
        const events = toPage(
          await enrollmentAuditTrail.listEvents(key.id, { limit: PAGE_SIZE + 1, after: eventsAfter }),
          PAGE_SIZE,
          toAuditTrailEntry,
          (ev) => timeKeyCursor(ev.created_at, ev.id),
        );

        return sendPage(
          reply,
          200,
          page(ctx, {
            title: 'Enrollment',
            nav: 'enrollments',
            crumbs: [
              { label: 'Enrollments', path: '/console/enrollments' },
              { label: e.promotion_id, path: `/console/promotions/${encodeURIComponent(e.promotion_id)}` },
              { label: key.id },
            ],
            notice:
              e.status === 'enrolled'
                ? null
                : notice('info', `This enrollment is ${e.status}: usage is refused.`),
            body: html`${details([
              ['Enrollment id', html`<code>${e.enrollment_id}</code>`],
              [
                'Promotion',
                html`<a href="/console/promotions/${encodeURIComponent(e.promotion_id)}">${e.promotion_id}</a>`,
              ],
              ['Account', account ? account.email : e.account_id],
              ['Status', badge(e.status)],
              [
                'Used this cycle',
                `${e.tasks_used_this_month}${e.task_limit_per_month === null ? ' (no limit)' : ` of ${e.task_limit_per_month}`}`,
              ],
              ['Billing cycle', html`${when(e.billing_cycle_start)} → ${when(e.billing_cycle_end)}`],
              ['Enrolled', when(e.enrollment_date)],
              ['Expires', when(e.expiration_date)],
              ['Unenrolled', when(e.unenrolled_at)],
            ])}
<section>
<h2>Usage ledger</h2>
${listPage({
  id: 'usage-ledger',
  caption: 'Task usage recorded, newest first',
  page: ledger,
  cursor: query.usage_cursor,
  at: (cursor) => href(base, { usage_cursor: cursor, events_cursor: query.events_cursor }),
  empty: empty(
    'No usage yet',
    'Task usage recorded for this enrollment (admin API, test helpers) appears here.',
  ),
  columns: [
    ...ledgerColumns,
    {
      label: 'Idempotency key',
      cell: (u) =>
        u.idempotency_key ? html`<code>${u.idempotency_key}</code>` : html`<span class="muted">—</span>`,
    },
  ],
})}
</section>
<section>
<h2>Events</h2>
${listPage({
  id: 'enrollment-events',
  caption: 'What happened to this enrollment, oldest first',
  page: events,
  cursor: query.events_cursor,
  at: (cursor) => href(base, { events_cursor: cursor, usage_cursor: query.usage_cursor }),
  empty: empty('No events', 'Nothing has happened to this enrollment yet.'),
  columns: [
    { label: 'At', cell: (ev) => when(ev.created_at) },
    { label: 'Event', cell: (ev) => badge(ev.type, 'event') },
    { label: 'By', cell: (ev) => ev.actor_type },
    {
      label: 'Data',
      cell: (ev) =>
        Object.keys(ev.data).length
          ? html`<code class="data">${JSON.stringify(ev.data)}</code>`
          : html`<span class="muted">—</span>`,
    },
  ],
})}
</section>`,
          }),
        );
      },
    );
  };
