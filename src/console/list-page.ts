// The console's one way to show a list a page at a time (CONTRACT §11): a keyset page made by
// src/pagination.ts (toPage, or a service's own page), in a table with a link to the next page
// and, past the first, one back to it; a collection's page (its list and the form that adds
// one); and the search pages' form and answer.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../errors.js';
import { type CursorPayload, type Page, toPage } from '../pagination.js';
import { type Html, href, html } from './html.js';
import { type Column, type NavKey, type PageContext, page, table } from './layout.js';
import { pageContext, pageNotice, queryOf, sendPage } from './request.js';

/** Rows a console list shows at a time. */
export const PAGE_SIZE = 25;

/** A page of rows fetched with `PAGE_SIZE + 1` (toPage without a mapping). */
export const rowsPage = <Row>(rows: readonly Row[], cursorOf: (row: Row) => CursorPayload): Page<Row> =>
  toPage(rows, PAGE_SIZE, (row) => row, cursorOf);

/**
 * A list's page as a table. `at(cursor)` is the URL of the list at a cursor (undefined: its
 * first page) with the page's other parameters kept; `cursor` is this page's, when it is not the first.
 */
export function listPage<Row>(input: {
  id: string;
  caption: string;
  columns: Column<Row>[];
  empty: Html;
  page: Page<Row>;
  cursor: string | undefined;
  at: (cursor: string | undefined) => string;
}): Html {
  const { page, cursor, at, ...shown } = input;
  return table({
    ...shown,
    rows: page.data,
    next: page.next_cursor ? at(page.next_cursor) : null,
    first: cursor ? at(undefined) : null,
  });
}

/**
 * A collection's own page at `path`: its list a page at a time (`fetch` reads the page at a
 * cursor), then a section that adds one (`add`: its heading and form). `problem` is what sent
 * a refused add back here.
 */
export async function collectionPage<Row>(
  request: FastifyRequest,
  input: {
    title: string;
    nav: NavKey;
    path: string;
    problem?: ApiError;
    fetch: (cursor: string | undefined) => Promise<Page<Row>>;
    list: { id: string; caption: string; empty: Html; columns: Column<Row>[] };
    add: { heading: string; form: Html };
  },
): Promise<Html> {
  const { cursor } = queryOf(request);
  const rows = await input.fetch(cursor);
  return page(pageContext(request), {
    title: input.title,
    nav: input.nav,
    notice: pageNotice(request, input.problem),
    body: html`${listPage({ ...input.list, page: rows, cursor, at: (at) => href(input.path, { cursor: at }) })}
<section>
<h2>${input.add.heading}</h2>
${input.add.form}
</section>`,
  });
}

/** A search page's form: `GET path?q=`, whose answer htmx swaps into `#results` alone. */
export interface SearchInput {
  path: string;
  label: string;
  placeholder: string;
}

/**
 * A search page: its form with `q` filled in, then `results` (an empty state, a list or what
 * was not found), sent with `status`.
 */
export function sendSearchPage(
  reply: FastifyReply,
  ctx: PageContext,
  input: SearchInput & { title: string; nav: NavKey; q: string; results: Html; status: number },
): FastifyReply {
  const form = html`<form class="search" method="get" action="${input.path}" role="search"
 hx-get="${input.path}" hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true">
<label for="q">${input.label}</label>
<div class="search-row">
<input id="q" name="q" type="search" value="${input.q}" placeholder="${input.placeholder}" required maxlength="320">
<button type="submit">Search</button>
</div>
</form>`;
  return sendPage(
    reply,
    input.status,
    page(ctx, {
      title: input.title,
      nav: input.nav,
      body: html`${form}<div id="results">${input.results}</div>`,
    }),
  );
}

/** A search that found its one answer goes there: a 303, or HX-Redirect for htmx. */
export function redirectToFound(request: FastifyRequest, reply: FastifyReply, url: string): FastifyReply {
  // htmx follows a 303 inside fetch and would swap the wrong page: it navigates on HX-Redirect.
  if (request.headers['hx-request'] === 'true') return reply.header('hx-redirect', url).code(200).send('');
  return reply.redirect(url, 303);
}
