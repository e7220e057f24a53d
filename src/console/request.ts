// What every console page module shares (CONTRACT §11): the page context of a signed-in
// request, reading a form, answering HTML (a refused form on its own page), and the audit
// context of a change.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/audit-log.js';
import { type ApiError, ERRORS, isApiError } from '../errors.js';
import { readForm } from '../http/form.js';
import type { Assets } from './assets.js';
import type { ConsoleCsrf } from './csrf.js';
import type { Html } from './html.js';
import { notice, type PageContext } from './layout.js';
import type { ConsoleRepository } from './repository.js';
import type { ConsoleSession } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The console's signed-in session; null before (and on its public routes). */
    consoleSession: ConsoleSession | null;
    /** What the signed-in request's pages are drawn with; set with consoleSession. */
    consolePage: PageContext | null;
  }
  interface FastifyContextConfig {
    /** A console route anyone may reach (sign-in, assets); every other one declares `role`. */
    consolePublic?: boolean;
  }
}

export interface ConsoleDeps {
  assets: Assets;
  csrf: ConsoleCsrf;
  repository: ConsoleRepository;
}

/** A signed-in session's page context (its actor, its CSRF token); routes.ts puts it on the request. */
export async function sessionPageContext(deps: ConsoleDeps, session: ConsoleSession): Promise<PageContext> {
  return { actor: session.actor, csrf: await deps.csrf.forSession(session.id), assets: deps.assets };
}

/** The page context of a signed-in request. */
export function pageContext(request: FastifyRequest): PageContext {
  if (!request.consolePage) throw new Error('pageContext before console authentication');
  return request.consolePage;
}

/** The audit context of a console change: the signed-in operator, the request's id, via the console. */
export function consoleAudit(request: FastifyRequest): AuditContext {
  const session = request.consoleSession;
  if (!session) throw new Error('consoleAudit before console authentication');
  return { actor: session.actor, requestId: request.id, via: 'console' };
}

export function sendPage(reply: FastifyReply, status: number, page: Html): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page.value);
}

/** The posted form's fields (src/http/form.ts reads them: urlencoded, every field once). */
export function readConsoleForm(request: FastifyRequest): Record<string, string> {
  return readForm(request, (problem) =>
    problem.kind === 'media_type'
      ? ERRORS.formNotUrlencoded()
      : ERRORS.invalidForm(`The ${problem.name.slice(0, 40)} field is ${problem.kind}.`),
  );
}

/** The fixed texts a redirect may ask for with `?notice=`: never text from the URL itself. */
const NOTICES: Record<string, string> = {
  created: 'Created.',
  saved: 'Saved.',
  paused: 'The promotion is paused: no new enrollments until it is resumed.',
  active: 'The promotion is active again.',
  ended: 'The promotion has ended; its live enrollments expired.',
  redelivered: 'Redelivery queued: the event goes out again to every enabled endpoint subscribed to it.',
  advanced: 'The clock moved; everything that fell due has happened.',
  revoked: 'The key is revoked: it stopped working.',
  signed_out: 'You are signed out.',
  password_changed: 'Your password is changed.',
  partner_disabled:
    'The partner is disabled: its tokens and client credentials are refused until it is enabled.',
  partner_enabled: 'The partner is enabled again: its tokens and client credentials work.',
};

export function noticeFrom(query: unknown): Html | null {
  const key = (query as { notice?: unknown } | undefined)?.notice;
  return typeof key === 'string' && NOTICES[key] ? notice('ok', NOTICES[key]) : null;
}

/** A page's notice: the problem that sent its form back, else the one its redirect asked for. */
export const pageNotice = (request: FastifyRequest, problem?: ApiError | null): Html | null =>
  problem ? notice('error', problem.message) : noticeFrom(request.query);

/**
 * A form the services refused, answered on the form's own page: a 4xx is shown there with its
 * status (`render` draws the page with the problem). A 404 (the object of the page is gone)
 * and anything else go to the console's error handler.
 */
export async function sendRefusal(
  reply: FastifyReply,
  error: unknown,
  render: (problem: ApiError) => Promise<Html>,
): Promise<FastifyReply> {
  if (!isApiError(error) || error.statusCode >= 500 || error.statusCode === 404) throw error;
  return sendPage(reply, error.statusCode, await render(error));
}

/** The `cursor` and other string parameters of a page's query, nothing else. */
export function queryOf(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((request.query as Record<string, unknown>) ?? {})) {
    if (typeof value === 'string' && value.length <= 500) out[key] = value;
  }
  return out;
}
