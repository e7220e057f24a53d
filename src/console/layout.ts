// The console's page shell and shared pieces (CONTRACT §11): navigation, notices, tables with
// cursor pagination, designed empty states, and forms that carry the CSRF token and are shown
// disabled to a role that may not use them. Everything goes through `html`, so it is escaped.
import { versionLabel } from '../ops/version.js';
import { type AdminActor, type Role, roleAllows } from '../rules/roles.js';
import type { Assets } from './assets.js';
import { type Html, href, html, type Interpolation } from './html.js';

export interface PageContext {
  actor: AdminActor;
  /** The session's CSRF token, carried by every form. */
  csrf: string;
  assets: Assets;
}

export type NavKey = 'promotions' | 'enrollments' | 'accounts' | 'partners' | 'audit' | 'operators';

const NAV: Array<{ key: NavKey; label: string; path: string; role: Role }> = [
  { key: 'promotions', label: 'Promotions', path: '/console/promotions', role: 'viewer' },
  { key: 'enrollments', label: 'Enrollments', path: '/console/enrollments', role: 'viewer' },
  { key: 'accounts', label: 'Accounts', path: '/console/accounts', role: 'viewer' },
  { key: 'partners', label: 'Partners', path: '/console/partners', role: 'viewer' },
  { key: 'audit', label: 'Audit log', path: '/console/audit-log', role: 'viewer' },
  { key: 'operators', label: 'Operators', path: '/console/operators', role: 'owner' },
];

// htmx without the stylesheet it would inject (the CSP allows only our own) or eval.
const HTMX_CONFIG = '{"includeIndicatorCSS":false,"history":true}';

function head(title: string, assets: Assets): Html {
  return html`<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<meta name="htmx-config" content="${HTMX_CONFIG}">
<title>${title} · Promotions console</title>
<link rel="stylesheet" href="${assets.css.url}">
<script src="${assets.htmx.url}" defer></script>`;
}

/** Which release this is (issue 28): what an operator quotes in a bug report. */
const footer = (): Html =>
  html`<footer class="foot"><p>Promotions enrollment server ${versionLabel()}</p></footer>`;

export interface Crumb {
  label: string;
  path?: string;
}

/** The crumbs of a page under a partner's: Partners › the partner › `rest`. */
export const partnerCrumbs = (partner: { id: string; name: string }, ...rest: Crumb[]): Crumb[] => [
  { label: 'Partners', path: '/console/partners' },
  { label: partner.name, path: `/console/partners/${partner.id}` },
  ...rest,
];

export interface PageInput {
  title: string;
  nav?: NavKey;
  crumbs?: Crumb[];
  notice?: Html | null;
  /** Buttons or links beside the heading. */
  actions?: Interpolation;
  body: Interpolation;
}

/** A signed-in page. */
export function page(ctx: PageContext, input: PageInput): Html {
  const { actor } = ctx;
  const links = NAV.filter((item) => roleAllows(actor.role, item.role)).map(
    (item) =>
      html`<li><a href="${item.path}"${item.key === input.nav ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
  );
  const crumbs = input.crumbs?.length
    ? html`<nav aria-label="Breadcrumb" class="crumbs"><ol>${input.crumbs.map((c) =>
        c.path
          ? html`<li><a href="${c.path}">${c.label}</a></li>`
          : html`<li aria-current="page">${c.label}</li>`,
      )}</ol></nav>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
${head(input.title, ctx.assets)}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="/console/promotions">Promotions console</a>
<nav aria-label="Main"><ul>${links}</ul></nav>
<form class="who" method="post" action="/console/sign-out">
<span>${actor.email ?? 'ADMIN_TOKEN'} <span class="role role-${actor.role}">${actor.role}</span></span>
${actor.kind === 'session' ? html`<a href="/console/password">Password</a>` : ''}
<input type="hidden" name="csrf_token" value="${ctx.csrf}">
<button type="submit" class="link">Sign out</button>
</form>
</header>
<main id="main">
${crumbs}
<div class="heading"><h1>${input.title}</h1>${input.actions ? html`<div class="actions">${input.actions}</div>` : ''}</div>
${input.notice ?? ''}
${input.body}
</main>
${footer()}
</body>
</html>
`;
}

/** A page without a session: sign-in and its errors. */
export function bare(assets: Assets, title: string, body: Interpolation): Html {
  return html`<!doctype html>
<html lang="en">
<head>
${head(title, assets)}
</head>
<body class="bare">
<main id="main">
${body}
</main>
${footer()}
</body>
</html>
`;
}

export const notice = (kind: 'ok' | 'error' | 'info', text: Interpolation): Html =>
  html`<div class="notice notice-${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>`;

/** A designed empty state: what is missing, why, and what to do. */
export const empty = (title: string, text: Interpolation, action?: Interpolation): Html =>
  html`<div class="empty"><p class="empty-title">${title}</p><p>${text}</p>${action ? html`<p>${action}</p>` : ''}</div>`;

export interface Column<Row> {
  label: string;
  cell: (row: Row) => Interpolation;
  numeric?: boolean;
}

/**
 * A table with a caption and a "Next page" link when more follow; with htmx the link swaps
 * only this table (and pushes the URL), without it it is an ordinary link.
 */
export function table<Row>(input: {
  id: string;
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  empty: Html;
  /** Where the next page is, or null on the last one. */
  next: string | null;
  /** Where the first page is, when this is not it. */
  first?: string | null;
}): Html {
  if (input.rows.length === 0 && !input.first)
    return html`<section id="${input.id}">${input.empty}</section>`;
  const swap = (url: string, label: string, rel?: string) =>
    html`<a href="${url}"${rel ? html` rel="${rel}"` : ''} hx-get="${url}" hx-target="#${input.id}" hx-select="#${input.id}" hx-swap="outerHTML" hx-push-url="true">${label}</a>`;
  return html`<section id="${input.id}" class="table-wrap">
<table>
<caption>${input.caption}</caption>
<thead><tr>${input.columns.map((c) => html`<th scope="col"${c.numeric ? html` class="num"` : ''}>${c.label}</th>`)}</tr></thead>
<tbody>
${input.rows.map((row) => html`<tr>${input.columns.map((c) => html`<td${c.numeric ? html` class="num"` : ''}>${c.cell(row)}</td>`)}</tr>`)}
</tbody>
</table>
${input.rows.length === 0 ? html`<p class="muted">No more rows.</p>` : ''}
<nav class="pager" aria-label="${input.caption} pages">
${input.first ? swap(input.first, '← First page') : ''}
${input.next ? swap(input.next, 'Next page →', 'next') : ''}
</nav>
</section>`;
}

/** The query of the page after `cursor` (the other filters kept). */
export const pageHref = (path: string, query: Record<string, string | undefined>, cursor: string | null) =>
  cursor ? href(path, { ...query, cursor }) : null;

/** A form posting to `action` with the CSRF token; disabled, with a note, when the role may not use it. */
export function form(
  ctx: PageContext,
  input: {
    action: string;
    need: Role;
    body: Interpolation;
    submit: string;
    id?: string;
    className?: string;
    danger?: boolean;
  },
): Html {
  const allowed = roleAllows(ctx.actor.role, input.need);
  return html`<form method="post" action="${input.action}"${input.id ? html` id="${input.id}"` : ''} class="${input.className ?? 'stack'}">
<input type="hidden" name="csrf_token" value="${ctx.csrf}">
<fieldset${allowed ? '' : html` disabled`}>
${input.body}
<button type="submit"${input.danger ? html` class="danger"` : ''}>${input.submit}</button>
</fieldset>
${allowed ? '' : html`<p class="muted role-note">Needs the ${input.need} role; you are ${ctx.actor.role === 'viewer' ? 'a' : 'an'} ${ctx.actor.role}.</p>`}
</form>`;
}

/** A labelled input. */
export function field(input: {
  name: string;
  label: string;
  value?: string | number | null;
  type?: string;
  required?: boolean;
  hint?: string;
  attrs?: Html;
}): Html {
  const id = `f-${input.name}`;
  return html`<div class="field">
<label for="${id}">${input.label}</label>
<input id="${id}" name="${input.name}" type="${input.type ?? 'text'}" value="${input.value ?? ''}"${input.required ? html` required` : ''}${input.hint ? html` aria-describedby="${id}-hint"` : ''}${input.attrs ?? ''}>
${input.hint ? html`<p class="hint" id="${id}-hint">${input.hint}</p>` : ''}
</div>`;
}

export function select(input: {
  name: string;
  label: string;
  options: Array<{ value: string; label: string }>;
  value?: string | null;
  hint?: string;
}): Html {
  const id = `f-${input.name}`;
  return html`<div class="field">
<label for="${id}">${input.label}</label>
<select id="${id}" name="${input.name}"${input.hint ? html` aria-describedby="${id}-hint"` : ''}>
${input.options.map((o) => html`<option value="${o.value}"${o.value === input.value ? html` selected` : ''}>${o.label}</option>`)}
</select>
${input.hint ? html`<p class="hint" id="${id}-hint">${input.hint}</p>` : ''}
</div>`;
}

export function checkbox(input: {
  name: string;
  label: string;
  checked?: boolean;
  required?: boolean;
}): Html {
  const id = `f-${input.name}`;
  return html`<div class="field check">
<input id="${id}" name="${input.name}" type="checkbox" value="true"${input.checked ? html` checked` : ''}${input.required ? html` required` : ''}>
<label for="${id}">${input.label}</label>
</div>`;
}

/** A definition list of a record's fields. */
export const details = (rows: Array<[string, Interpolation]>): Html =>
  html`<dl class="details">${rows.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v ?? '—'}</dd></div>`)}</dl>`;

/** An instant as the API writes it, in a <time> element; a dash for none. */
export const when = (value: string | null | undefined): Html =>
  value
    ? html`<time datetime="${value}">${value.replace('T', ' ').replace('Z', ' UTC')}</time>`
    : html`<span class="muted">—</span>`;

export const badge = (text: string, kind: string = text): Html =>
  html`<span class="badge badge-${kind}">${text}</span>`;
