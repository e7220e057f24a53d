// Console: a partner's webhook endpoint (CONTRACT §11) with its delivery log (every attempt's
// status or error) and a button that redelivers a delivery's event, through the webhook
// service the admin mirror uses (src/admin/webhooks.ts).
import type { FastifyPluginAsync } from 'fastify';
import { DeliveryStatusSchema } from '../../webhooks/schemas.js';
import { href, html } from '../html.js';
import { badge, details, empty, form, page, partnerCrumbs, when } from '../layout.js';
import { listPage, PAGE_SIZE } from '../list-page.js';
import { consoleAudit, pageContext, pageNotice, queryOf, readConsoleForm, sendPage } from '../request.js';

export const webhookPages: FastifyPluginAsync = async function consoleWebhooks(app) {
  const { partnerService, webhookService: service } = app;

  app.get(
    '/partners/:partner_id/webhooks/:endpoint_id',
    { config: { role: 'viewer' } },
    async function endpointPage(request, reply) {
      const ctx = pageContext(request);
      const { partner_id, endpoint_id } = request.params as { partner_id: string; endpoint_id: string };
      const partner = await partnerService.getPartner(partner_id);
      const endpoint = await service.get(partner.id, endpoint_id);
      const query = queryOf(request);
      const status = DeliveryStatusSchema.safeParse(query.status);
      const filter = status.success ? status.data : undefined;
      const deliveries = await service.deliveries(partner.id, endpoint.id, {
        limit: PAGE_SIZE,
        cursor: query.cursor,
        status: filter,
      });
      const base = `/console/partners/${partner.id}/webhooks/${endpoint.id}`;
      const filters = html`<nav class="tabs" aria-label="Delivery status">${[
        undefined,
        'pending',
        'succeeded',
        'failed',
        'cancelled',
      ].map(
        (s) =>
          html`<a href="${href(base, { status: s })}"${s === filter ? html` aria-current="true"` : ''}>${s ?? 'all'}</a> `,
      )}</nav>`;
      return sendPage(
        reply,
        200,
        page(ctx, {
          title: 'Webhook endpoint',
          nav: 'partners',
          crumbs: partnerCrumbs(partner, { label: endpoint.id }),
          notice: pageNotice(request),
          body: html`${details([
            ['URL', html`<code>${endpoint.url}</code>`],
            [
              'Status',
              html`${badge(endpoint.status)}${endpoint.disabled_reason ? html` ${endpoint.disabled_reason}` : ''}`,
            ],
            ['Events', endpoint.event_types.join(', ')],
            ['Description', endpoint.description],
            ['Created', when(endpoint.created_at)],
          ])}
<section>
<div class="heading"><h2>Deliveries</h2>${filters}</div>
${listPage({
  id: 'deliveries',
  caption: `Deliveries to ${endpoint.url}, newest first${filter ? ` (${filter})` : ''}`,
  page: deliveries,
  cursor: query.cursor,
  at: (cursor) => href(base, { status: filter, cursor }),
  empty: empty(
    filter ? `No ${filter} deliveries` : 'No deliveries yet',
    'Each event of a subscribed type is delivered here, with every attempt recorded.',
  ),
  columns: [
    { label: 'Event', cell: (d) => html`<code>${d.event_id}</code><br>${d.type}` },
    {
      label: 'Status',
      cell: (d) =>
        html`${badge(d.status)}${d.next_attempt_at ? html`<br><span class="muted">next ${when(d.next_attempt_at)}</span>` : ''}`,
    },
    {
      label: 'Attempts',
      cell: (d) =>
        d.attempts.length === 0
          ? html`<span class="muted">none yet</span>`
          : html`<ol class="attempts">${d.attempts.map(
              (a) =>
                html`<li>${when(a.at)} · ${a.response_status === null ? html`<span class="error">${a.error ?? 'error'}</span>` : `HTTP ${a.response_status}`} · ${a.duration_ms} ms</li>`,
            )}</ol>`,
    },
    {
      label: 'Redeliver',
      cell: (d) =>
        form(ctx, {
          action: `/console/partners/${partner.id}/events/${d.event_id}/redeliver`,
          need: 'editor',
          submit: 'Redeliver',
          className: 'inline',
          body: html`<input type="hidden" name="endpoint_id" value="${endpoint.id}">`,
        }),
    },
  ],
})}
</section>`,
        }),
      );
    },
  );

  app.post(
    '/partners/:partner_id/events/:event_id/redeliver',
    { config: { role: 'editor' } },
    async function redeliverFromForm(request, reply) {
      const { partner_id, event_id } = request.params as { partner_id: string; event_id: string };
      const partner = await partnerService.getPartner(partner_id);
      await service.redeliver(partner.id, event_id, consoleAudit(request));
      const endpointId = readConsoleForm(request).endpoint_id;
      const back =
        endpointId !== undefined && /^we_[A-Za-z0-9]{1,64}$/.test(endpointId)
          ? `/console/partners/${partner.id}/webhooks/${endpointId}`
          : `/console/partners/${partner.id}`;
      return reply.redirect(`${back}?notice=redelivered`, 303);
    },
  );
};
