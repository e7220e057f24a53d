// Console: a sandbox partner's test clocks (CONTRACT §9, CONTRACT §11) — the list, one clock, and
// advancing it, through the test clocks' own service (the admin API's and the partner's).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { type ApiError, ERRORS } from '../../errors.js';
import { afterIdCursor, readAfterId, toPage } from '../../pagination.js';
import { DateTimeSchema } from '../../schemas.js';
import { toTestClockResource } from '../../test-clocks/service.js';
import { onPageForm, showPage } from '../forms.js';
import { href, html } from '../html.js';
import { badge, details, empty, field, form, notice, page, partnerCrumbs, when } from '../layout.js';
import { listPage, PAGE_SIZE } from '../list-page.js';
import { consoleAudit, pageContext, pageNotice, queryOf, sendPage } from '../request.js';

/** The route parameters of a clock's page. */
type ClockParams = { partner_id: string; test_clock_id: string };

const CLOCK_ID = /^clock_[A-Za-z0-9_-]{1,64}$/;

export const testClockPages: FastifyPluginAsync = async function consoleTestClocks(app) {
  const { partnerService, testClockService } = app;

  app.get(
    '/partners/:partner_id/test-clocks',
    { config: { role: 'viewer' } },
    async function testClocksPage(request, reply) {
      const ctx = pageContext(request);
      const { partner_id } = request.params as { partner_id: string };
      const partner = await partnerService.getPartner(partner_id);
      const query = queryOf(request);
      const afterId = readAfterId(query.cursor, CLOCK_ID);
      const rows = await testClockService.list(partner.id, { limit: PAGE_SIZE + 1, afterId });
      const clocks = toPage(rows, PAGE_SIZE, toTestClockResource, afterIdCursor);
      const base = `/console/partners/${partner.id}/test-clocks`;
      return sendPage(
        reply,
        200,
        page(ctx, {
          title: 'Test clocks',
          nav: 'partners',
          crumbs: partnerCrumbs(partner, { label: 'Test clocks' }),
          notice: partner.sandbox
            ? null
            : notice('info', `${partner.name} is a live partner: only sandbox partners have test clocks.`),
          body: listPage({
            id: 'test-clocks',
            caption: `Test clocks of ${partner.name}`,
            page: clocks,
            cursor: query.cursor,
            at: (cursor) => href(base, { cursor }),
            empty: empty(
              'No test clocks',
              'The sandbox partner creates them with POST /v2/test_helpers/test_clocks in its CI.',
            ),
            columns: [
              { label: 'Clock', cell: (c) => html`<a href="${base}/${c.id}">${c.name ?? c.id}</a>` },
              { label: 'Frozen at', cell: (c) => when(c.frozen_time) },
              { label: 'Status', cell: (c) => badge(c.status) },
              { label: 'Created', cell: (c) => when(c.created_at) },
            ],
          }),
        }),
      );
    },
  );

  async function clockPage(request: FastifyRequest, params: ClockParams, problem?: ApiError) {
    const ctx = pageContext(request);
    const partner = await partnerService.getPartner(params.partner_id);
    const clock = toTestClockResource(await testClockService.get(partner.id, params.test_clock_id));
    const base = `/console/partners/${partner.id}/test-clocks/${clock.id}`;
    return page(ctx, {
      title: clock.name ?? clock.id,
      nav: 'partners',
      crumbs: partnerCrumbs(
        partner,
        { label: 'Test clocks', path: `/console/partners/${partner.id}/test-clocks` },
        { label: clock.id },
      ),
      notice: pageNotice(request, problem),
      body: html`${details([
        ['Id', html`<code>${clock.id}</code>`],
        ['Frozen at', when(clock.frozen_time)],
        ['Status', badge(clock.status)],
        ['Created', when(clock.created_at)],
      ])}
<section>
<h2>Advance</h2>
<p class="muted">Forward only, at most 2 years. Cycle roll-overs, expiries and their webhooks happen before the page comes back.</p>
${form(ctx, {
  action: `${base}/advance`,
  need: 'editor',
  submit: 'Advance clock',
  id: 'advance-form',
  body: field({
    name: 'frozen_time',
    label: 'New time (UTC)',
    type: 'datetime-local',
    value: clock.frozen_time.replace(/Z$/, ''),
    required: true,
    attrs: html` step="1"`,
  }),
})}
</section>`,
    });
  }

  app.get(
    '/partners/:partner_id/test-clocks/:test_clock_id',
    { config: { role: 'viewer' } },
    showPage(clockPage),
  );

  app.post(
    '/partners/:partner_id/test-clocks/:test_clock_id/advance',
    { config: { role: 'editor' } },
    onPageForm(clockPage, async function advanceFromForm(request, reply, { partner_id, test_clock_id }, f) {
      const value = f.frozen_time ?? '';
      const parsed = DateTimeSchema.safeParse(/T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : `${value}Z`);
      if (!parsed.success) throw ERRORS.invalidForm('New time: must be a date and time.');
      const partner = await partnerService.getPartner(partner_id);
      await testClockService.advance(partner.id, test_clock_id, parsed.data, consoleAudit(request));
      return reply.redirect(
        `/console/partners/${partner.id}/test-clocks/${test_clock_id}?notice=advanced`,
        303,
      );
    }),
  );
};
