// Console: the audit log (CONTRACT §11) — who changed what, newest first, filtered like the
// API's list, each entry with its before/after.
import type { FastifyPluginAsync } from 'fastify';
import { auditFilterOf } from '../../audit/schemas.js';
import { type ApiError, isApiError } from '../../errors.js';
import { type Html, href, html } from '../html.js';
import { badge, empty, field, notice, page, when } from '../layout.js';
import { listPage } from '../list-page.js';
import { pageContext, queryOf, sendPage } from '../request.js';

const PAGE_SIZE = 50;
const FILTERS = ['actor', 'action', 'object_type', 'object_id'] as const;

const show = (value: unknown): Html =>
  value === null || value === undefined
    ? html`<span class="muted">—</span>`
    : html`<code>${JSON.stringify(value)}</code>`;

/** Where an entry's object lives in the console, when it has a page. */
function objectLink(type: string, id: string): Html {
  const path =
    type === 'promotion'
      ? `/console/promotions/${encodeURIComponent(id)}`
      : type === 'partner'
        ? `/console/partners/${id}`
        : type === 'enrollment'
          ? `/console/enrollments/${encodeURIComponent(id)}`
          : type === 'operator'
            ? `/console/operators/${id}`
            : null;
  return path ? html`${type} <a href="${path}"><code>${id}</code></a>` : html`${type} <code>${id}</code>`;
}

export const auditLogPages: FastifyPluginAsync = async function consoleAuditLog(app) {
  const { auditLog } = app;

  app.get('/audit-log', { config: { role: 'viewer' } }, async function auditLogPage(request, reply) {
    const ctx = pageContext(request);
    const query = queryOf(request);
    const filters = Object.fromEntries(FILTERS.map((k) => [k, query[k]?.trim() || undefined]));
    let problem: ApiError | null = null;
    let entries: Awaited<ReturnType<typeof auditLog.list>> = { data: [], next_cursor: null };
    try {
      entries = await auditLog.list({ ...auditFilterOf(filters), limit: PAGE_SIZE, cursor: query.cursor });
    } catch (error) {
      if (!isApiError(error) || error.statusCode !== 400) throw error;
      problem = error;
    }
    const filtered = FILTERS.some((k) => filters[k]);
    const form = html`<form class="filters" method="get" action="/console/audit-log"
 hx-get="/console/audit-log" hx-target="#audit-results" hx-select="#audit-results" hx-swap="outerHTML" hx-push-url="true">
<div class="row">
${field({ name: 'actor', label: 'Actor', value: filters.actor ?? '', hint: 'email, operator id or admin_token' })}
${field({ name: 'action', label: 'Action', value: filters.action ?? '', hint: 'e.g. promotion.updated' })}
${field({ name: 'object_type', label: 'Object type', value: filters.object_type ?? '', hint: 'e.g. promotion' })}
${field({ name: 'object_id', label: 'Object id', value: filters.object_id ?? '' })}
</div>
<button type="submit">Filter</button> <a href="/console/audit-log">Clear filters</a>
</form>`;
    return sendPage(
      reply,
      problem ? 400 : 200,
      page(ctx, {
        title: 'Audit log',
        nav: 'audit',
        body: html`${form}
<div id="audit-results">
${problem ? notice('error', problem.message) : ''}
${listPage({
  id: 'audit-entries',
  caption: filtered ? 'Matching changes, newest first' : 'Every change, newest first',
  page: entries,
  cursor: query.cursor,
  at: (cursor) => href('/console/audit-log', { ...filters, cursor }),
  empty: filtered
    ? empty(
        'Nothing matches',
        'No change matches these filters.',
        html`<a href="/console/audit-log">Show every change</a>`,
      )
    : empty(
        'No changes yet',
        'Every change made through the admin API, the CLI or this console is recorded here.',
      ),
  columns: [
    { label: 'When', cell: (e) => when(e.at) },
    {
      label: 'Who',
      cell: (e) =>
        html`${e.actor.email ?? 'ADMIN_TOKEN'}<br><span class="muted">${e.via === 'console' ? 'console' : e.actor.kind === 'api_key' ? 'API key' : 'API'}</span>`,
    },
    { label: 'Action', cell: (e) => badge(e.action, 'action') },
    { label: 'Object', cell: (e) => objectLink(e.object_type, e.object_id) },
    {
      label: 'Changes',
      cell: (e) =>
        Object.keys(e.changes).length === 0
          ? html`<span class="muted">no values recorded</span>`
          : html`<dl class="changes">${Object.entries(e.changes).map(
              ([k, c]) =>
                html`<div><dt>${k}</dt><dd>${c.before === null ? show(c.after) : html`${show(c.before)} → ${show(c.after)}`}</dd></div>`,
            )}</dl>`,
    },
    { label: 'Request', cell: (e) => html`<code class="muted">${e.request_id}</code>` },
  ],
})}
</div>`,
      }),
    );
  });
};
