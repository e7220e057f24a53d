// Console: promotions (CONTRACT §11) — the list with status, window and budget; creating,
// editing, pausing and ending one; a promotion's page with its budget bar, enrollments per day
// and tasks used per billing cycle. Changes go through promotionService, as the admin API's do.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { toAdminEnrollmentResource } from '../../enrollments/resource.js';
import { type ApiError, ERRORS, isApiError } from '../../errors.js';
import { createExportsRepository } from '../../exports/repository.js';
import { type ExportDeps, PROMOTION_EXPORTS, sendExport } from '../../exports/streams.js';
import { afterIdCursor, readAfterId, toPage } from '../../pagination.js';
import type { PromotionChanges } from '../../promotions/repository.js';
import { toPromotionResource } from '../../promotions/resource.js';
import {
  CreatePromotionSchema,
  toPromotionChanges,
  toPromotionInput,
  UpdatePromotionSchema,
} from '../../promotions/schemas.js';
import { PROMOTION_ID_PATTERN, UUID_PATTERN } from '../../rules/enrollment-id.js';
import { roleAllows } from '../../rules/roles.js';
import { type Bar, barChart, budgetBar } from '../charts.js';
import { enrollmentColumns } from '../enrollment-lists.js';
import { onPageForm, showPage } from '../forms.js';
import { type Html, href, html } from '../html.js';
import {
  badge,
  checkbox,
  details,
  empty,
  field,
  form,
  notice,
  type PageContext,
  page,
  select,
  when,
} from '../layout.js';
import { listPage, PAGE_SIZE } from '../list-page.js';
import type { ConsoleRepository } from '../repository.js';
import { consoleAudit, pageContext, pageNotice, queryOf, readConsoleForm, sendPage } from '../request.js';

const DAY_MS = 24 * 3600 * 1000;
type Promotion = ReturnType<typeof toPromotionResource>;
/** The route parameters of a promotion's page. */
type PromotionParams = { promotion_id: string };

/** `2026-05-01T00:00:00Z` → the value of a UTC datetime-local input. */
const toLocalInput = (iso: string | null) => (iso ? iso.replace(/Z$/, '') : '');
/** A datetime-local value read as UTC, as RFC 3339; empty → null. */
function fromLocalInput(value: string | undefined): string | null {
  if (!value) return null;
  return /T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : `${value}Z`;
}
const intOrNull = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? null : Number(value);

/** The form's fields in the API's shape, for the promotion's own schemas to judge. */
function promotionBody(f: Record<string, string>) {
  return {
    name: f.name ?? '',
    status: f.status,
    starts_at: fromLocalInput(f.starts_at),
    ends_at: fromLocalInput(f.ends_at),
    duration_days: intOrNull(f.duration_days),
    task_limit_per_month: intOrNull(f.task_limit_per_month),
    max_enrollments: intOrNull(f.max_enrollments),
    allow_reenrollment: f.allow_reenrollment === 'true',
  };
}

const FIELD_LABELS: Record<string, string> = {
  id: 'Id',
  partner_id: 'Partner',
  name: 'Name',
  status: 'Status',
  starts_at: 'Starts at',
  ends_at: 'Ends at',
  duration_days: 'Duration',
  task_limit_per_month: 'Task limit per month',
  max_enrollments: 'Maximum enrollments',
};

/** A zod failure of a form as one sentence naming the field. */
function formProblem(error: z.ZodError): ApiError {
  const issue = error.issues[0]!;
  const name = String(issue.path[0] ?? '');
  return ERRORS.invalidForm(`${FIELD_LABELS[name] ?? name}: ${issue.message}`, `/${name}`);
}

function statusBadge(status: string): Html {
  return badge(status);
}

function windowOf(p: Promotion): Html {
  if (!p.starts_at && !p.ends_at) return html`<span class="muted">always open</span>`;
  return html`${p.starts_at ? when(p.starts_at) : html`<span class="muted">open</span>`} → ${p.ends_at ? when(p.ends_at) : html`<span class="muted">no end</span>`}`;
}

function promotionFields(
  values: Partial<Promotion>,
  options: { create: boolean; partners?: Array<{ id: string; name: string }> },
) {
  return html`${
    options.create
      ? html`${field({ name: 'id', label: 'Id', value: values.id ?? '', required: true, hint: '1–64 letters, digits, "_", "." or "-"; partners enroll with it.', attrs: html` pattern="[A-Za-z0-9_.\\-]{1,64}" maxlength="64"` })}
${select({
  name: 'partner_id',
  label: 'Partner',
  options: (options.partners ?? []).map((p) => ({ value: p.id, label: p.name })),
  value: values.partner_id ?? null,
})}`
      : ''
  }
${field({ name: 'name', label: 'Name', value: values.name ?? '', required: true, attrs: html` maxlength="200"` })}
${
  options.create
    ? select({
        name: 'status',
        label: 'Status',
        options: [
          { value: 'active', label: 'active' },
          { value: 'paused', label: 'paused' },
        ],
        value: values.status ?? 'active',
      })
    : ''
}
<div class="row">
${field({ name: 'starts_at', label: 'Starts at (UTC)', type: 'datetime-local', value: toLocalInput(values.starts_at ?? null), hint: 'Empty: open now.', attrs: html` step="1"` })}
${field({ name: 'ends_at', label: 'Ends at (UTC)', type: 'datetime-local', value: toLocalInput(values.ends_at ?? null), hint: 'Empty: no end.', attrs: html` step="1"` })}
</div>
<div class="row">
${field({ name: 'duration_days', label: 'Duration (days)', type: 'number', value: values.duration_days ?? '', hint: 'Empty: until the end.', attrs: html` min="1"` })}
${field({ name: 'task_limit_per_month', label: 'Task limit per month', type: 'number', value: values.task_limit_per_month ?? '', hint: 'Empty: unlimited.', attrs: html` min="0"` })}
${field({ name: 'max_enrollments', label: 'Maximum enrollments', type: 'number', value: values.max_enrollments ?? '', hint: 'Empty: no budget.', attrs: html` min="0"` })}
</div>
${checkbox({ name: 'allow_reenrollment', label: 'Allow re-enrollment after expiry or unenrollment', checked: values.allow_reenrollment ?? false })}`;
}

export const promotionPages = (repository: ConsoleRepository): FastifyPluginAsync =>
  async function consolePromotions(app) {
    const {
      promotionsRepository: promotions,
      promotionService,
      partnersRepository: partners,
      partnerService,
      enrollmentViews,
      clock,
    } = app;

    async function partnerOptions() {
      return (await partnerService.listPartners({ limit: 100 })).data.map((p) => ({
        id: p.id,
        name: p.name,
      }));
    }

    async function newPromotionPage(ctx: PageContext, values: Partial<Promotion>, problem?: ApiError) {
      const partnerList = await partnerOptions();
      const body =
        partnerList.length === 0
          ? empty(
              'No partner yet',
              'A promotion belongs to a partner: create one first.',
              html`<a class="button" href="/console/partners">Partners</a>`,
            )
          : form(ctx, {
              action: '/console/promotions',
              need: 'editor',
              submit: 'Create promotion',
              id: 'promotion-form',
              body: promotionFields(values, { create: true, partners: partnerList }),
            });
      return page(ctx, {
        title: 'New promotion',
        nav: 'promotions',
        crumbs: [{ label: 'Promotions', path: '/console/promotions' }, { label: 'New' }],
        notice: problem ? notice('error', problem.message) : null,
        body,
      });
    }

    app.get('/promotions', { config: { role: 'viewer' } }, async function listPromotionsPage(request, reply) {
      const ctx = pageContext(request);
      const query = queryOf(request);
      const after = readAfterId(query.cursor);
      const partnerId =
        query.partner_id && UUID_PATTERN.test(query.partner_id) ? query.partner_id : undefined;
      const rows = await promotions.list({ limit: PAGE_SIZE + 1, after, partnerId });
      const names = new Map((await partnerOptions()).map((p) => [p.id, p.name]));
      const list = listPage({
        id: 'promotions',
        caption: partnerId ? `Promotions of ${names.get(partnerId) ?? 'this partner'}` : 'Promotions by id',
        page: toPage(rows, PAGE_SIZE, toPromotionResource, afterIdCursor),
        cursor: query.cursor,
        at: (cursor) => href('/console/promotions', { partner_id: partnerId, cursor }),
        empty: empty(
          'No promotions yet',
          'A promotion sponsors tasks for the accounts partners enroll into it.',
          roleAllows(ctx.actor.role, 'editor')
            ? html`<a class="button" href="/console/promotions/new">Create the first promotion</a>`
            : 'An editor can create one.',
        ),
        columns: [
          {
            label: 'Promotion',
            cell: (p) =>
              html`<a href="/console/promotions/${encodeURIComponent(p.id)}">${p.name}</a><br><code>${p.id}</code>`,
          },
          { label: 'Partner', cell: (p) => names.get(p.partner_id) ?? html`<code>${p.partner_id}</code>` },
          { label: 'Status', cell: (p) => statusBadge(p.status) },
          { label: 'Window', cell: windowOf },
          { label: 'Enrollments', cell: (p) => budgetBar(p.enrollments_count, p.max_enrollments) },
        ],
      });
      return sendPage(
        reply,
        200,
        page(ctx, {
          title: 'Promotions',
          nav: 'promotions',
          notice: pageNotice(request),
          actions: html`<a class="button" href="${href('/console/promotions/new', { partner_id: partnerId })}">New promotion</a>`,
          body: list,
        }),
      );
    });

    app.get(
      '/promotions/new',
      { config: { role: 'viewer' } },
      async function newPromotionForm(request, reply) {
        const ctx = pageContext(request);
        const partnerId = queryOf(request).partner_id;
        return sendPage(reply, 200, await newPromotionPage(ctx, { partner_id: partnerId }));
      },
    );

    app.post(
      '/promotions',
      { config: { role: 'editor' } },
      async function createPromotionFromForm(request, reply) {
        const f = readConsoleForm(request);
        const input = { ...promotionBody(f), id: f.id ?? '', partner_id: f.partner_id ?? '' };
        try {
          const parsed = CreatePromotionSchema.safeParse(input);
          if (!parsed.success) throw formProblem(parsed.error);
          const created = await promotionService.create(toPromotionInput(parsed.data), consoleAudit(request));
          return reply.redirect(`/console/promotions/${encodeURIComponent(created.id)}?notice=created`, 303);
        } catch (error) {
          if (!isApiError(error) || error.statusCode >= 500) throw error;
          const ctx = pageContext(request);
          const values = {
            ...input,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
          } as unknown as Partial<Promotion>;
          return sendPage(reply, error.statusCode, await newPromotionPage(ctx, values, error));
        }
      },
    );

    async function promotionPage(
      request: FastifyRequest,
      { promotion_id: id }: PromotionParams,
      problem?: ApiError,
    ) {
      const ctx = pageContext(request);
      const row = PROMOTION_ID_PATTERN.test(id) ? await promotions.findWithCount(id) : undefined;
      if (!row) throw ERRORS.promotionNotFound();
      const p = toPromotionResource(row);
      const partner = await partners.findById(p.partner_id);
      const query = queryOf(request);
      const now = clock.now();

      // Enrollments per UTC day over the last 30 (or 90) days, days without any drawn as 0.
      const days = query.days === '90' ? 90 : 30;
      const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
      const from = new Date(today.getTime() - (days - 1) * DAY_MS);
      const counts = await repository.enrollmentsPerDay(p.id, from, new Date(today.getTime() + DAY_MS));
      const perDay: Bar[] = Array.from({ length: days }, (_, i) => {
        const day = new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10);
        return { label: day.slice(5), value: counts.get(day) ?? 0 };
      });
      const perCycle: Bar[] = (await repository.tasksPerCycle(p.id)).map((c) => ({
        label: `Cycle ${c.cycle}`,
        value: c.tasks,
      }));

      const afterId = readAfterId(query.cursor, UUID_PATTERN);
      const rows = await enrollmentViews.listByPromotion(p.id, { limit: PAGE_SIZE + 1, afterId }, now);
      const base = `/console/promotions/${encodeURIComponent(p.id)}`;

      const statusForms = html`<div class="inline-forms">
${p.status === 'active' ? form(ctx, { action: `${base}/status`, need: 'editor', submit: 'Pause', className: 'inline', body: html`<input type="hidden" name="status" value="paused">` }) : ''}
${p.status === 'paused' ? form(ctx, { action: `${base}/status`, need: 'editor', submit: 'Resume', className: 'inline', body: html`<input type="hidden" name="status" value="active">` }) : ''}
${p.status !== 'ended' ? form(ctx, { action: `${base}/status`, need: 'editor', submit: 'End promotion', className: 'inline', danger: true, body: html`<input type="hidden" name="status" value="ended">${checkbox({ name: 'confirm', label: 'Ending expires every live enrollment now', required: true })}` }) : ''}
</div>`;

      return page(ctx, {
        title: p.name,
        nav: 'promotions',
        crumbs: [{ label: 'Promotions', path: '/console/promotions' }, { label: p.id }],
        notice: pageNotice(request, problem),
        actions: html`<a class="button secondary" href="${href('/console/audit-log', { object_type: 'promotion', object_id: p.id })}">History</a>`,
        body: html`<section class="cards">
<div class="card"><h2>Budget</h2>${budgetBar(p.enrollments_count, p.max_enrollments)}</div>
<div class="card"><h2>Status</h2><p>${statusBadge(p.status)}</p>${statusForms}</div>
</section>
${details([
  ['Id', html`<code>${p.id}</code>`],
  ['Partner', partner ? html`<a href="/console/partners/${partner.id}">${partner.name}</a>` : p.partner_id],
  ['Window', windowOf(p)],
  ['Duration', p.duration_days === null ? 'until the end' : `${p.duration_days} days`],
  ['Task limit per month', p.task_limit_per_month === null ? 'unlimited' : String(p.task_limit_per_month)],
  ['Re-enrollment', p.allow_reenrollment ? 'allowed' : 'not allowed'],
  ['Updated', when(p.updated_at)],
])}
<section>
<div class="heading"><h2>Enrollments per day</h2>
<nav class="tabs" aria-label="Chart range"><a href="${base}"${days === 30 ? html` aria-current="true"` : ''}>30 days</a> <a href="${base}?days=90"${days === 90 ? html` aria-current="true"` : ''}>90 days</a></nav></div>
${barChart({ id: 'enrollments-per-day', title: `Enrollments per day, last ${days} days (UTC)`, description: `New enrollments into ${p.name} per UTC day from ${perDay[0]!.label} to ${perDay.at(-1)!.label}.`, bars: perDay, unit: 'enrollments', keyLabel: 'Day', labelEvery: days === 90 ? 15 : 5 })}
</section>
<section>
<div class="heading"><h2>Tasks used per billing cycle</h2>
<a class="button secondary" href="${base}/usage.csv" download>Download usage CSV</a></div>
${
  perCycle.length === 0
    ? empty(
        'No task usage yet',
        'Usage recorded for this promotion’s enrollments is summed here per billing cycle (cycle 1 is each enrollment’s first month).',
      )
    : barChart({
        id: 'tasks-per-cycle',
        title: 'Tasks used per billing cycle',
        description: `Tasks used by ${p.name}'s enrollments, summed per billing cycle (cycle 1 is each enrollment's first month).`,
        bars: perCycle,
        unit: 'tasks',
        keyLabel: 'Billing cycle',
      })
}
</section>
<section>
<div class="heading"><h2>Enrollments</h2>
<a class="button secondary" href="${base}/enrollments.csv" download>Download CSV</a></div>
${listPage({
  id: 'promotion-enrollments',
  caption: `Enrollments of ${p.id}`,
  page: toPage(rows, PAGE_SIZE, (v) => toAdminEnrollmentResource(v, now), afterIdCursor),
  cursor: query.cursor,
  at: (cursor) => href(base, { days: query.days, cursor }),
  empty: empty('No enrollments yet', 'Partners enroll accounts with POST /v2/promotions; they appear here.'),
  columns: [
    {
      label: 'Enrollment',
      cell: (e) =>
        html`<a href="/console/enrollments/${encodeURIComponent(e.enrollment_id)}"><code>${e.enrollment_id.split(':')[1]}</code></a>`,
    },
    enrollmentColumns.status,
    enrollmentColumns.used,
    enrollmentColumns.enrolled,
    enrollmentColumns.expires,
  ],
})}
</section>
<section>
<h2>Edit</h2>
${form(ctx, { action: base, need: 'editor', submit: 'Save changes', id: 'promotion-form', body: promotionFields(p, { create: false }) })}
</section>`,
      });
    }

    // The "Download CSV" links: the admin API's exports (CONTRACT §6, src/exports/streams.ts), behind the session.
    const exportDeps: ExportDeps = {
      promotions,
      exportsRepository: createExportsRepository(app.db),
      clock,
    };

    for (const [name, stream] of Object.entries(PROMOTION_EXPORTS)) {
      app.get(
        `/promotions/:promotion_id/${name}.csv`,
        { config: { role: 'viewer' } },
        async function downloadCsv(request, reply) {
          const { promotion_id } = request.params as { promotion_id: string };
          return sendExport(reply, 'csv', await stream(exportDeps, promotion_id, { format: 'csv' }));
        },
      );
    }

    app.get('/promotions/:promotion_id', { config: { role: 'viewer' } }, showPage(promotionPage));

    app.post(
      '/promotions/:promotion_id',
      { config: { role: 'editor' } },
      onPageForm(
        promotionPage,
        async function updatePromotionFromForm(request, reply, { promotion_id: id }, f) {
          const current = PROMOTION_ID_PATTERN.test(id) ? await promotions.findWithCount(id) : undefined;
          if (!current) throw ERRORS.promotionNotFound();
          const parsed = UpdatePromotionSchema.safeParse(promotionBody({ ...f, status: current.status }));
          if (!parsed.success) throw formProblem(parsed.error);
          // Only what the operator changed, as a PATCH would carry it.
          const wanted = toPromotionChanges(parsed.data);
          const changes: PromotionChanges = {};
          for (const [key, value] of Object.entries(wanted) as [keyof PromotionChanges, unknown][]) {
            const before = current[key];
            const same =
              before instanceof Date && value instanceof Date
                ? before.getTime() === value.getTime()
                : before === value;
            if (!same) (changes as Record<string, unknown>)[key] = value;
          }
          if (Object.keys(changes).length > 0)
            await promotionService.update(id, changes, consoleAudit(request));
          return reply.redirect(`/console/promotions/${encodeURIComponent(id)}?notice=saved`, 303);
        },
      ),
    );

    app.post(
      '/promotions/:promotion_id/status',
      { config: { role: 'editor' } },
      async function changePromotionStatus(request, reply) {
        const params = request.params as PromotionParams;
        const id = params.promotion_id;
        const f = readConsoleForm(request);
        const status = z.enum(['active', 'paused', 'ended']).safeParse(f.status);
        if (!status.success) throw ERRORS.invalidForm('The status must be active, paused or ended.');
        if (status.data === 'ended' && f.confirm !== 'true') {
          return sendPage(
            reply,
            400,
            await promotionPage(
              request,
              params,
              ERRORS.invalidForm('Tick the box to confirm: ending expires every live enrollment now.'),
            ),
          );
        }
        if (!PROMOTION_ID_PATTERN.test(id)) throw ERRORS.promotionNotFound();
        await promotionService.update(id, { status: status.data }, consoleAudit(request));
        return reply.redirect(`/console/promotions/${encodeURIComponent(id)}?notice=${status.data}`, 303);
      },
    );
  };
