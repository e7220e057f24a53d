// Console: operators and their API keys (CONTRACT §11), for owners — the list, creating one,
// changing a role, disabling, and minting (shown once) or revoking keys, through the
// operator service the admin API uses.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { type ApiError, ERRORS, NO_STORE_HEADERS } from '../../errors.js';
import { CreateApiKeySchema, CreateOperatorSchema, RoleSchema } from '../../operators/schemas.js';
import { ROLE_DESCRIPTIONS, ROLES } from '../../rules/roles.js';
import { type NoParams, onPageForm, showPage } from '../forms.js';
import { href, html } from '../html.js';
import { badge, checkbox, details, empty, field, form, notice, page, select, when } from '../layout.js';
import { collectionPage, listPage, PAGE_SIZE } from '../list-page.js';
import { consoleAudit, pageContext, pageNotice, queryOf, readConsoleForm, sendPage } from '../request.js';

const roleOptions = ROLES.map((r) => ({ value: r, label: `${r} — ${ROLE_DESCRIPTIONS[r]}` }));

const firstIssue = (error: { issues: Array<{ path: PropertyKey[]; message: string }> }) => {
  const issue = error.issues[0]!;
  return ERRORS.invalidForm(`${String(issue.path[0] ?? 'form')}: ${issue.message}`);
};

/** The route parameters of an operator's page. */
type OperatorParams = { operator_id: string };

/** What an operator's page shows once, after the change that made it: a new key or a temporary password. */
interface ShownOnce {
  created?: { key: string; name: string };
  temporaryPassword?: string;
}

export const operatorPages: FastifyPluginAsync = async function consoleOperators(app) {
  const { operatorService } = app;

  /** The operators, then the form that adds one (with what a refused one carried). */
  async function operatorList(
    request: FastifyRequest,
    _params: NoParams,
    problem?: ApiError,
    values: { email?: string; role?: string } = {},
  ) {
    return collectionPage(request, {
      title: 'Operators',
      nav: 'operators',
      path: '/console/operators',
      problem,
      fetch: (cursor) => operatorService.listOperators({ limit: PAGE_SIZE, cursor }),
      list: {
        id: 'operators',
        caption: 'Operators by email',
        empty: empty(
          'No operators yet',
          'You are signed in with a bootstrap credential. Create the first operator below.',
        ),
        columns: [
          { label: 'Operator', cell: (o) => html`<a href="/console/operators/${o.id}">${o.email}</a>` },
          { label: 'Role', cell: (o) => badge(o.role, `role-${o.role}`) },
          { label: 'State', cell: (o) => (o.disabled ? badge('disabled') : badge('enabled')) },
          { label: 'Since', cell: (o) => when(o.created_at) },
        ],
      },
      add: {
        heading: 'Add an operator',
        form: form(pageContext(request), {
          action: '/console/operators',
          need: 'owner',
          submit: 'Add operator',
          id: 'operator-form',
          body: html`${field({ name: 'email', label: 'Email', type: 'email', value: values.email ?? '', required: true, attrs: html` autocomplete="off"` })}
${field({ name: 'password', label: 'Password', type: 'password', required: true, hint: 'At least 12 characters; share it with them out of band.', attrs: html` minlength="12" autocomplete="new-password"` })}
${select({ name: 'role', label: 'Role', options: roleOptions, value: values.role ?? 'viewer' })}`,
        }),
      },
    });
  }

  app.get('/operators', { config: { role: 'owner' } }, showPage(operatorList));

  app.post(
    '/operators',
    { config: { role: 'owner' } },
    onPageForm(operatorList, async function createOperatorFromForm(request, reply, _params, f) {
      const parsed = CreateOperatorSchema.safeParse({
        email: f.email ?? '',
        password: f.password ?? '',
        role: f.role,
      });
      if (!parsed.success) throw firstIssue(parsed.error);
      const operator = await operatorService.createOperator(parsed.data, consoleAudit(request));
      return reply.redirect(`/console/operators/${operator.id}?notice=created`, 303);
    }),
  );

  async function operatorPage(
    request: FastifyRequest,
    params: OperatorParams,
    problem?: ApiError | null,
    _posted?: Record<string, string>,
    { created, temporaryPassword }: ShownOnce = {},
  ) {
    const ctx = pageContext(request);
    const operator = await operatorService.getOperator(params.operator_id);
    const query = queryOf(request);
    const keys = await operatorService.listApiKeys(operator.id, { limit: PAGE_SIZE, cursor: query.cursor });
    const base = `/console/operators/${operator.id}`;
    return page(ctx, {
      title: operator.email,
      nav: 'operators',
      crumbs: [{ label: 'Operators', path: '/console/operators' }, { label: operator.email }],
      // A change's problem, a temporary password and a new key never come together.
      notice: temporaryPassword
        ? notice(
            'info',
            html`Password reset. Give them this temporary password now — it is shown only once, and they must choose a new one when they sign in: <code class="secret" id="temporary-password">${temporaryPassword}</code>`,
          )
        : created
          ? notice(
              'info',
              html`Key <strong>${created.name}</strong> created. Copy it now — it is shown only once: <code class="secret" id="new-key">${created.key}</code>`,
            )
          : pageNotice(request, problem),
      actions: html`<a class="button secondary" href="${href('/console/audit-log', { actor: operator.id })}">Their changes</a>`,
      body: html`${details([
        ['Email', operator.email],
        ['Role', badge(operator.role, `role-${operator.role}`)],
        [
          'State',
          operator.disabled
            ? html`${badge('disabled')} since ${when(operator.disabled_at)}`
            : badge('enabled'),
        ],
        ['Password', operator.must_change_password ? badge('reset: to change at sign-in') : 'their own'],
        ['Since', when(operator.created_at)],
      ])}
<section class="cards">
<div class="card"><h2>Role</h2>
${form(ctx, { action: base, need: 'owner', submit: 'Change role', className: 'inline', body: select({ name: 'role', label: 'Role', options: roleOptions, value: operator.role }) })}</div>
<div class="card"><h2>Access</h2><p class="muted">${operator.disabled ? 'Enabling lets their keys and sign-in work again.' : 'Disabling stops their keys and console sessions at once.'}</p>
${form(ctx, { action: base, need: 'owner', submit: operator.disabled ? 'Enable' : 'Disable', className: 'inline', danger: !operator.disabled, body: html`<input type="hidden" name="disabled" value="${operator.disabled ? 'false' : 'true'}">` })}</div>
<div class="card"><h2>Password</h2><p class="muted">A reset gives a temporary password, shown once; the old one stops working now.</p>
${form(ctx, { action: `${base}/reset-password`, need: 'owner', submit: 'Reset password', className: 'inline', danger: true, body: checkbox({ name: 'confirm', label: 'Their current password stops working now', required: true }) })}</div>
</section>
<section>
<h2>Admin API keys</h2>
${listPage({
  id: 'api-keys',
  caption: `API keys of ${operator.email}, newest first`,
  page: keys,
  cursor: query.cursor,
  at: (cursor) => href(base, { cursor }),
  empty: empty('No API keys', 'A key lets scripts and the CLI call the admin API as this operator.'),
  columns: [
    { label: 'Name', cell: (k) => k.name },
    { label: 'Id', cell: (k) => html`<code>${k.id}</code>` },
    { label: 'Role', cell: (k) => badge(k.role, `role-${k.role}`) },
    { label: 'Last used', cell: (k) => when(k.last_used_at) },
    {
      label: 'State',
      cell: (k) =>
        k.revoked_at
          ? html`revoked ${when(k.revoked_at)}`
          : form(ctx, {
              action: `${base}/api-keys/${k.id}/revoke`,
              need: 'owner',
              submit: 'Revoke',
              className: 'inline',
              danger: true,
              body: '',
            }),
    },
  ],
})}
<h3>New key</h3>
${form(ctx, {
  action: `${base}/api-keys`,
  need: 'owner',
  submit: 'Create key',
  id: 'key-form',
  body: html`${field({ name: 'name', label: 'Name', required: true, hint: 'Where it is used, e.g. "CI" or "laptop".', attrs: html` maxlength="100"` })}
${select({ name: 'role', label: 'Role', options: roleOptions.filter((o) => ROLES.indexOf(o.value) <= ROLES.indexOf(operator.role)), value: operator.role })}`,
})}
</section>`,
    });
  }

  app.get('/operators/:operator_id', { config: { role: 'owner' } }, showPage(operatorPage));

  app.post(
    '/operators/:operator_id',
    { config: { role: 'owner' } },
    onPageForm(operatorPage, async function updateOperatorFromForm(request, reply, { operator_id }, f) {
      const role = f.role === undefined ? undefined : RoleSchema.safeParse(f.role);
      if (role && !role.success) throw ERRORS.invalidForm('role: must be viewer, editor or owner');
      const disabled = f.disabled === undefined ? undefined : f.disabled === 'true';
      await operatorService.updateOperator(
        operator_id,
        { role: role?.data, disabled },
        consoleAudit(request),
      );
      return reply.redirect(`/console/operators/${operator_id}?notice=saved`, 303);
    }),
  );

  app.post(
    '/operators/:operator_id/reset-password',
    { config: { role: 'owner' } },
    async function resetPasswordFromForm(request, reply) {
      const params = request.params as OperatorParams;
      const f = readConsoleForm(request);
      if (f.confirm !== 'true') {
        const problem = ERRORS.invalidForm(
          'Tick the box to confirm: their current password stops working now.',
        );
        return sendPage(reply, 400, await operatorPage(request, params, problem));
      }
      const reset = await operatorService.resetPassword(params.operator_id, consoleAudit(request));
      return sendPage(
        reply.headers(NO_STORE_HEADERS),
        200,
        await operatorPage(request, params, null, undefined, { temporaryPassword: reset.temporary_password }),
      );
    },
  );

  app.post(
    '/operators/:operator_id/api-keys',
    { config: { role: 'owner' } },
    onPageForm(operatorPage, async function createKeyFromForm(request, reply, params, f) {
      const parsed = CreateApiKeySchema.safeParse({ name: f.name ?? '', role: f.role });
      if (!parsed.success) throw firstIssue(parsed.error);
      const key = await operatorService.createApiKey(params.operator_id, parsed.data, consoleAudit(request));
      return sendPage(
        reply.headers(NO_STORE_HEADERS),
        201,
        await operatorPage(request, params, null, undefined, { created: { key: key.key, name: key.name } }),
      );
    }),
  );

  app.post(
    '/operators/:operator_id/api-keys/:key_id/revoke',
    { config: { role: 'owner' } },
    async function revokeKeyFromForm(request, reply) {
      const { operator_id, key_id } = request.params as { operator_id: string; key_id: string };
      await operatorService.revokeApiKey(operator_id, key_id, consoleAudit(request));
      return reply.redirect(`/console/operators/${operator_id}?notice=revoked`, 303);
    },
  );
};
