// Console: partners (CONTRACT §11) — the list, registering one (its client secret shown once),
// rotating its secret, changing or disabling one, and a partner's page with its webhook endpoints, promotions and, for a
// sandbox partner, its test clocks. Changes go through partnerService, as the admin API's do.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { PartnerResource } from '../../auth/partner-service.js';
import { CreatePartnerSchema, UpdatePartnerSchema } from '../../auth/schemas.js';
import { SCOPES } from '../../auth/scopes.js';
import { type ApiError, ERRORS, NO_STORE_HEADERS } from '../../errors.js';
import { roleAllows } from '../../rules/roles.js';
import { type NoParams, onPageForm, showPage } from '../forms.js';
import { href, html } from '../html.js';
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
  partnerCrumbs,
  when,
} from '../layout.js';
import { collectionPage, listPage, PAGE_SIZE } from '../list-page.js';
import { consoleAudit, pageContext, pageNotice, queryOf, readConsoleForm, sendPage } from '../request.js';

function partnerForm(ctx: PageContext, values: { name?: string; redirect_uris?: string; sandbox?: boolean }) {
  return form(ctx, {
    action: '/console/partners',
    need: 'owner',
    submit: 'Register partner',
    id: 'partner-form',
    body: html`${field({ name: 'name', label: 'Name', value: values.name ?? '', required: true, attrs: html` maxlength="200"` })}
<div class="field">
<label for="f-redirect_uris">Redirect URIs</label>
<textarea id="f-redirect_uris" name="redirect_uris" rows="3" required aria-describedby="f-redirect_uris-hint">${values.redirect_uris ?? ''}</textarea>
<p class="hint" id="f-redirect_uris-hint">One absolute http(s) URL per line, matched exactly on the consent page.</p>
</div>
${checkbox({ name: 'sandbox', label: 'Sandbox partner (may use test clocks)', checked: values.sandbox ?? false })}`,
  });
}

/** The page that shows a client secret, once; never cached. */
function secretPage(ctx: PageContext, partner: PartnerResource & { client_secret: string }, title: string) {
  return page(ctx, {
    title,
    nav: 'partners',
    crumbs: partnerCrumbs(partner, { label: 'Secret' }),
    notice: notice(
      'info',
      'Copy the client secret now: it is shown only on this page and stored only as a hash.',
    ),
    body: html`${details([
      ['Partner', partner.name],
      ['client_id', html`<code>${partner.client_id}</code>`],
      ['client_secret', html`<code class="secret" id="client-secret">${partner.client_secret}</code>`],
    ])}
<p><a class="button" href="/console/partners/${partner.id}">Done</a></p>`,
  });
}

/** The route parameters of a partner's page. */
type PartnerParams = { partner_id: string };

export const partnerPages: FastifyPluginAsync = async function consolePartners(app) {
  const { partnerService, promotionsRepository: promotions, webhookService } = app;

  /** The partners, then the form that registers one (with what a refused one carried). */
  async function partnerList(
    request: FastifyRequest,
    _params: NoParams,
    problem?: ApiError,
    posted: Record<string, string> = {},
  ) {
    const values = {
      name: posted.name,
      redirect_uris: posted.redirect_uris,
      sandbox: posted.sandbox === 'true',
    };
    return collectionPage(request, {
      title: 'Partners',
      nav: 'partners',
      path: '/console/partners',
      problem,
      fetch: (cursor) => partnerService.listPartners({ limit: PAGE_SIZE, cursor }),
      list: {
        id: 'partners',
        caption: 'Partners by name',
        empty: empty(
          'No partners yet',
          'A partner is an OAuth client that enrolls its users’ accounts into promotions.',
        ),
        columns: [
          { label: 'Partner', cell: (p) => html`<a href="/console/partners/${p.id}">${p.name}</a>` },
          { label: 'client_id', cell: (p) => html`<code>${p.client_id}</code>` },
          { label: 'Kind', cell: (p) => (p.sandbox ? badge('sandbox') : badge('live')) },
          { label: 'Status', cell: (p) => badge(p.status) },
          { label: 'Created', cell: (p) => when(p.created_at) },
        ],
      },
      add: { heading: 'Register a partner', form: partnerForm(pageContext(request), values) },
    });
  }

  app.get('/partners', { config: { role: 'viewer' } }, showPage(partnerList));

  app.post(
    '/partners',
    { config: { role: 'owner' } },
    onPageForm(partnerList, async function createPartnerFromForm(request, reply, _params, f) {
      const parsed = CreatePartnerSchema.safeParse({
        name: f.name ?? '',
        redirect_uris: (f.redirect_uris ?? '').split(/\s+/).filter(Boolean),
        sandbox: f.sandbox === 'true',
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const where = issue.path[0] === 'redirect_uris' ? 'Redirect URIs' : 'Name';
        throw ERRORS.invalidForm(`${where}: ${issue.message}`);
      }
      const partner = await partnerService.createPartner(parsed.data, consoleAudit(request));
      const ctx = pageContext(request);
      return sendPage(
        reply.code(201).headers(NO_STORE_HEADERS),
        201,
        secretPage(ctx, partner, 'Partner registered'),
      );
    }),
  );

  async function partnerPage(request: FastifyRequest, params: PartnerParams, problem?: ApiError) {
    const ctx = pageContext(request);
    const partner = await partnerService.getPartner(params.partner_id);
    const query = queryOf(request);
    const endpoints = await webhookService.list(partner.id, { limit: PAGE_SIZE, cursor: query.cursor });
    const promotionRows = await promotions.list({ limit: 11, partnerId: partner.id });
    const base = `/console/partners/${partner.id}`;
    return page(ctx, {
      title: partner.name,
      nav: 'partners',
      crumbs: [{ label: 'Partners', path: '/console/partners' }, { label: partner.name }],
      notice: pageNotice(request, problem),
      actions: html`<a class="button secondary" href="${href('/console/audit-log', { object_type: 'partner', object_id: partner.id })}">History</a>`,
      body: html`${details([
        ['Id', html`<code>${partner.id}</code>`],
        ['client_id', html`<code>${partner.client_id}</code>`],
        ['Kind', partner.sandbox ? html`${badge('sandbox')} may use test clocks` : badge('live')],
        [
          'Status',
          partner.status === 'disabled'
            ? html`${badge('disabled')} its tokens and client credentials are refused; its enrollments are kept`
            : badge('enabled'),
        ],
        [
          'Redirect URIs',
          html`<ul class="plain">${partner.redirect_uris.map((u) => html`<li><code>${u}</code></li>`)}</ul>`,
        ],
        ['Scopes', partner.scopes.join(' ')],
        ['Created', when(partner.created_at)],
      ])}
<section class="cards">
<div class="card"><h2>Client secret</h2><p class="muted">Stored only as a hash. A new one stops the old one at once.</p>
${form(ctx, { action: `${base}/rotate-secret`, need: 'owner', submit: 'Rotate client secret', className: 'inline', danger: true, body: checkbox({ name: 'confirm', label: 'The old secret stops working now', required: true }) })}</div>
<div class="card"><h2>Status</h2><p class="muted">${partner.status === 'disabled' ? 'Enabling lets its tokens (those not expired) and client credentials work again.' : 'Disabling refuses its tokens and client credentials at once; its enrollments are kept.'}</p>
${form(ctx, { action: `${base}/status`, need: 'owner', submit: partner.status === 'disabled' ? 'Enable partner' : 'Disable partner', className: 'inline', danger: partner.status === 'enabled', body: html`<input type="hidden" name="status" value="${partner.status === 'disabled' ? 'enabled' : 'disabled'}">` })}</div>
<div class="card"><h2>Promotions</h2>${
        promotionRows.length === 0
          ? html`<p class="muted">None yet.</p>`
          : html`<ul class="plain">${promotionRows.slice(0, 10).map((p) => html`<li><a href="/console/promotions/${encodeURIComponent(p.id)}">${p.name}</a></li>`)}</ul>`
      }<p><a href="${href('/console/promotions', { partner_id: partner.id })}">All promotions of ${partner.name}</a>${
        roleAllows(ctx.actor.role, 'editor')
          ? html` · <a href="${href('/console/promotions/new', { partner_id: partner.id })}">New promotion</a>`
          : ''
      }</p></div>
${partner.sandbox ? html`<div class="card"><h2>Test clocks</h2><p><a href="${base}/test-clocks">Test clocks of ${partner.name}</a></p></div>` : ''}
</section>
<section>
<h2>Webhook endpoints</h2>
${listPage({
  id: 'webhook-endpoints',
  caption: `Webhook endpoints of ${partner.name}`,
  page: endpoints,
  cursor: query.cursor,
  at: (cursor) => href(base, { cursor }),
  empty: empty(
    'No webhook endpoints',
    'The partner registers them with POST /v2/webhook_endpoints (or an operator with the admin API).',
  ),
  columns: [
    { label: 'Endpoint', cell: (e) => html`<a href="${base}/webhooks/${e.id}"><code>${e.url}</code></a>` },
    {
      label: 'Status',
      cell: (e) =>
        html`${badge(e.status)}${e.disabled_reason ? html` <span class="muted">${e.disabled_reason}</span>` : ''}`,
    },
    { label: 'Events', cell: (e) => e.event_types.join(', ') },
    { label: 'Created', cell: (e) => when(e.created_at) },
  ],
})}
</section>
<section>
<h2>Change the partner</h2>
${form(ctx, {
  action: base,
  need: 'owner',
  submit: 'Save changes',
  id: 'partner-edit-form',
  body: html`${field({ name: 'name', label: 'Name', value: partner.name, required: true, attrs: html` maxlength="200"` })}
<div class="field">
<label for="f-edit-redirect_uris">Redirect URIs</label>
<textarea id="f-edit-redirect_uris" name="redirect_uris" rows="3" required>${partner.redirect_uris.join('\n')}</textarea>
<p class="hint">One absolute http(s) URL per line, matched exactly on the consent page.</p>
</div>
${SCOPES.map((scope) => checkbox({ name: `scope_${scope}`, label: `Scope ${scope}`, checked: partner.scopes.includes(scope) }))}`,
})}
</section>`,
    });
  }

  app.get('/partners/:partner_id', { config: { role: 'viewer' } }, showPage(partnerPage));

  app.post(
    '/partners/:partner_id',
    { config: { role: 'owner' } },
    onPageForm(partnerPage, async function updatePartnerFromForm(request, reply, { partner_id: id }, f) {
      const parsed = UpdatePartnerSchema.safeParse({
        name: f.name ?? '',
        redirect_uris: (f.redirect_uris ?? '').split(/\s+/).filter(Boolean),
        scopes: SCOPES.filter((scope) => f[`scope_${scope}`] === 'true'),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const where =
          issue.path[0] === 'redirect_uris'
            ? 'Redirect URIs'
            : issue.path[0] === 'scopes'
              ? 'Scopes'
              : 'Name';
        throw ERRORS.invalidForm(`${where}: ${issue.message}`);
      }
      await partnerService.updatePartner(id, parsed.data, consoleAudit(request));
      return reply.redirect(`/console/partners/${id}?notice=saved`, 303);
    }),
  );

  app.post(
    '/partners/:partner_id/status',
    { config: { role: 'owner' } },
    async function setPartnerStatusFromForm(request, reply) {
      const { partner_id: id } = request.params as { partner_id: string };
      const status = readConsoleForm(request).status;
      if (status !== 'enabled' && status !== 'disabled')
        throw ERRORS.invalidForm('status: must be enabled or disabled');
      await partnerService.updatePartner(id, { status }, consoleAudit(request));
      return reply.redirect(`/console/partners/${id}?notice=partner_${status}`, 303);
    },
  );

  app.post(
    '/partners/:partner_id/rotate-secret',
    { config: { role: 'owner' } },
    async function rotateSecretFromForm(request, reply) {
      const { partner_id: id } = request.params as { partner_id: string };
      const f = readConsoleForm(request);
      if (f.confirm !== 'true')
        throw ERRORS.invalidForm('Tick the box to confirm: the old secret stops working now.');
      const partner = await partnerService.rotatePartnerSecret(id, consoleAudit(request));
      const ctx = pageContext(request);
      return sendPage(reply.headers(NO_STORE_HEADERS), 200, secretPage(ctx, partner, 'New client secret'));
    },
  );
};
