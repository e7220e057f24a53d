// Console: find an enrollment (CONTRACT §11) by its id or its account's email, and read one:
// its status and usage now, its usage ledger and its events (the trail of what happened).
import type { FastifyPluginAsync } from 'fastify';
import { toAdminEnrollmentResource, toAuditTrailEntry } from '../../enrollments/resource.js';
import { ERRORS } from '../../errors.js';
import { encodeCursor, readCursor } from '../../pagination.js';
import { formatEnrollmentId, parseEnrollmentId } from '../../rules/enrollment-id.js';
import { toRfc3339 } from '../../rules/time.js';
import { href, html } from '../html.js';
import { badge, details, empty, notice, page, pageHref, table, when } from '../layout.js';
import { type ConsoleDeps, pageContext, queryOf, sendPage } from '../request.js';

const PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const searchForm = (
  q: string,
) => html`<form class="search" method="get" action="/console/enrollments" role="search"
 hx-get="/console/enrollments" hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true">
<label for="q">Enrollment id or account email</label>
<div class="search-row">
<input id="q" name="q" type="search" value="${q}" placeholder="spring_2026:9f6c… or jane@example.com" required maxlength="320">
<button type="submit">Search</button>
</div>
</form>`;

export const enrollmentPages = (deps: ConsoleDeps): FastifyPluginAsync =>
  async function consoleEnrollments(app) {
    const { enrollmentViews, enrollmentAuditTrail, accountsRepository: accounts, clock } = app;

    app.get(
      '/enrollments',
      { config: { role: 'viewer' } },
      async function searchEnrollmentsPage(request, reply) {
        const ctx = await pageContext(deps, request);
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
            const afterId = readCursor(query.cursor, (c) => (c.after && UUID.test(c.after) ? c.after : null));
            const keys = await deps.repository.enrollmentsOfAccount(account.id, {
              limit: PAGE_SIZE + 1,
              afterId,
            });
            const page = keys.slice(0, PAGE_SIZE);
            const views = new Map(
              (
                await enrollmentViews.findViewsByIds(
                  page.map((k) => k.id),
                  now,
                )
              ).map((v) => [v.id, v]),
            );
            const rows = page.flatMap((k) => {
              const view = views.get(k.id);
              return view ? [toAdminEnrollmentResource(view, now)] : [];
            });
            results = table({
              id: 'enrollment-results',
              caption: `Enrollments of ${account.email}`,
              rows,
              next:
                keys.length > PAGE_SIZE
                  ? pageHref('/console/enrollments', { q }, encodeCursor({ after: page.at(-1)!.id }))
                  : null,
              first: query.cursor ? href('/console/enrollments', { q }) : null,
              empty: empty(
                'No enrollments',
                html`<strong>${account.email}</strong> is not enrolled in any promotion.`,
              ),
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
                  cell: (e) =>
                    `${e.tasks_used_this_month}${e.task_limit_per_month === null ? '' : ` / ${e.task_limit_per_month}`}`,
                },
                { label: 'Enrolled', cell: (e) => when(e.enrollment_date) },
              ],
            });
          }
        } else if (q !== '') {
          const key = parseEnrollmentId(q);
          if (key && (await enrollmentViews.exists(key))) {
            const url = `/console/enrollments/${encodeURIComponent(q)}`;
            // htmx follows a 303 inside fetch and would swap the wrong page: it navigates on HX-Redirect.
            if (request.headers['hx-request'] === 'true')
              return reply.header('hx-redirect', url).code(200).send('');
            return reply.redirect(url, 303);
          }
          results = empty(
            'No such enrollment',
            html`No enrollment has the id <code>${q}</code>. Enrollment ids look like <code>promotion_id:uuid</code>.`,
          );
          status = 404;
        }
        return sendPage(
          reply,
          status,
          page(ctx, {
            title: 'Enrollments',
            nav: 'enrollments',
            body: html`${searchForm(q)}<div id="results">${results}</div>`,
          }),
        );
      },
    );

    app.get(
      '/enrollments/:enrollment_id',
      { config: { role: 'viewer' } },
      async function enrollmentPage(request, reply) {
        const ctx = await pageContext(deps, request);
        const { enrollment_id: id } = request.params as { enrollment_id: string };
        const key = parseEnrollmentId(id);
        const now = clock.now();
        const [view] = key ? await enrollmentViews.findViewsByIds([key.id], now) : [];
        if (!key || !view || view.promotion_id !== key.promotionId) throw ERRORS.enrollmentNotFound();
        const e = toAdminEnrollmentResource(view, now);
        const account = await accounts.findById(view.account_id);
        const query = queryOf(request);
        const base = `/console/enrollments/${encodeURIComponent(formatEnrollmentId(key.promotionId, key.id))}`;

        const usageBefore = readCursor(query.usage_cursor, (c) => {
          const at = Number(c.t);
          return c.t && Number.isFinite(at) && c.id && UUID.test(c.id) ? { at, id: c.id } : null;
        });
        const ledger = await deps.repository.usageLedger(key.id, {
          limit: PAGE_SIZE + 1,
          before: usageBefore,
        });
        const ledgerPage = ledger.slice(0, PAGE_SIZE);
        const ledgerLast = ledgerPage.at(-1);

        const eventsAfter = readCursor(query.events_cursor, (c) => {
          const at = Number(c.t);
          return c.t && Number.isFinite(at) && c.id && UUID.test(c.id) ? { at, id: c.id } : null;
        });
        const events = await enrollmentAuditTrail.listEvents(key.id, {
          limit: PAGE_SIZE + 1,
          after: eventsAfter,
        });
        const eventsPage = events.slice(0, PAGE_SIZE);
        const eventsLast = eventsPage.at(-1);

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
${table({
  id: 'usage-ledger',
  caption: 'Task usage recorded, newest first',
  rows: ledgerPage,
  next:
    ledger.length > PAGE_SIZE && ledgerLast
      ? href(base, {
          usage_cursor: encodeCursor({ t: String(ledgerLast.created_at), id: ledgerLast.id }),
          events_cursor: query.events_cursor,
        })
      : null,
  first: query.usage_cursor ? href(base, { events_cursor: query.events_cursor }) : null,
  empty: empty(
    'No usage yet',
    'Task usage recorded for this enrollment (admin API, test helpers) appears here.',
  ),
  columns: [
    { label: 'Occurred', cell: (u) => when(toRfc3339(new Date(u.occurred_at))) },
    { label: 'Billing cycle', cell: (u) => when(toRfc3339(new Date(u.cycle_start))) },
    { label: 'Requested', numeric: true, cell: (u) => u.tasks_requested },
    { label: 'Accepted', numeric: true, cell: (u) => u.tasks_accepted },
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
${table({
  id: 'enrollment-events',
  caption: 'What happened to this enrollment, oldest first',
  rows: eventsPage.map(toAuditTrailEntry),
  next:
    events.length > PAGE_SIZE && eventsLast
      ? href(base, {
          events_cursor: encodeCursor({ t: String(eventsLast.created_at), id: eventsLast.id }),
          usage_cursor: query.usage_cursor,
        })
      : null,
  first: query.events_cursor ? href(base, { usage_cursor: query.usage_cursor }) : null,
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
