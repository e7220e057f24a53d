// The operators' console at /console (CONTRACT §11) as one encapsulated scope: server-rendered
// pages behind a session cookie, every form CSRF-protected, a strict CSP (scripts and styles
// from this server only, no inline script or style, no framing). Each route declares the role
// it needs (`config.role`, judged by the same `roleAllows` as the admin API) or that it is
// public (sign-in, assets); the pages call the services the admin API calls, with the audit
// context `via: console`, so roles, rules and the audit log are enforced in one place.
import formbody from '@fastify/formbody';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { parseBearerHeader } from '../auth/authorize.js';
import { createLoginThrottle } from '../auth/login-throttle.js';
import { toApiError } from '../error-handler.js';
import { ERRORS } from '../errors.js';
import { readCookie } from '../http/cookies.js';
import { requireRouteDeclaration } from '../http/route-declaration.js';
import { looksLikeApiKey } from '../operators/service.js';
import { isRole, roleAllows } from '../rules/roles.js';
import { assetRoutes, loadAssets } from './assets.js';
import { createConsoleCsrf } from './csrf.js';
import { href, html } from './html.js';
import { bare, page } from './layout.js';
import { accountPages } from './pages/accounts.js';
import { auditLogPages } from './pages/audit-log.js';
import { enrollmentPages } from './pages/enrollments.js';
import { operatorPages } from './pages/operators.js';
import { partnerPages } from './pages/partners.js';
import { promotionPages } from './pages/promotions.js';
import { PASSWORD_PATH, signInPages } from './pages/sign-in.js';
import { testClockPages } from './pages/test-clocks.js';
import { webhookPages } from './pages/webhooks.js';
import { createConsoleRepository } from './repository.js';
import { type ConsoleDeps, pageContext, sendPage, sessionPageContext } from './request.js';
import { createSessionRepository } from './session-repository.js';
import { createSessions, SESSION_COOKIE } from './sessions.js';

/** Scripts and styles from this server only: no inline script, no inline style, no eval. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

export const consoleRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;
  await app.register(formbody, { bodyLimit: 16_384 });
  app.decorateRequest('consoleSession', null);
  app.decorateRequest('consolePage', null);

  const deps: ConsoleDeps = {
    assets: loadAssets(),
    csrf: createConsoleCsrf({ db, clock }),
    repository: createConsoleRepository(db),
  };
  const sessions = createSessions({ clock, sessions: createSessionRepository(db) });
  const secureCookies = config.publicUrl.startsWith('https:');

  requireRouteDeclaration(
    app,
    'role',
    (role, c) => c.consolePublic === true || isRole(role),
    'or consolePublic',
  );

  // Every answer of the scope, errors and redirects too, wears the page's security headers;
  // form posts count against the client IP, like the OAuth forms.
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (request.method === 'POST') await app.rateLimits.countIp(request);
  });

  /** Who is signed in, the CSRF token of a post, then the route's role — before the handler runs. */
  app.addHook('preHandler', async (request, reply) => {
    const { config: routeConfig, url } = request.routeOptions;
    if (routeConfig.consolePublic || url === undefined) return;
    // CONTRACT §12: a meter key is refused here as everywhere but the metering endpoints.
    const bearerToken = parseBearerHeader(request.headers.authorization);
    if (bearerToken && looksLikeApiKey(bearerToken)) {
      const keyActor = await app.operatorService.verifyApiKey(bearerToken);
      if (keyActor?.role === 'meter') {
        const refused = ERRORS.meterKeyOnly();
        return reply.code(refused.statusCode).type('application/json').send(refused.toEnvelope());
      }
    }
    const session = await sessions.resolve(readCookie(request.headers.cookie, SESSION_COOKIE));
    if (!session) {
      if (request.method === 'GET')
        return reply.redirect(href('/console/sign-in', { next: request.url }), 303);
      return sendPage(reply, 401, bare(deps.assets, 'Signed out', signedOut));
    }
    request.consolePage = await sessionPageContext(deps, session);
    request.consoleSession = session;
    request.actor = session.actor;
    // A reset password is replaced before anything else (the password page and sign-out stay open).
    if (session.mustChangePassword && url !== PASSWORD_PATH && url !== '/console/sign-out') {
      return reply.redirect(PASSWORD_PATH, 303);
    }
    if (request.method === 'POST') {
      const token = (request.body as Record<string, unknown> | undefined)?.csrf_token;
      if (!(await deps.csrf.verifySession(typeof token === 'string' ? token : undefined, session.id))) {
        return sendPage(
          reply,
          403,
          await problemPage(
            request,
            'Form expired',
            'This form could not be verified. Go back, reload the page and try again.',
          ),
        );
      }
    }
    const need = routeConfig.role!;
    if (!roleAllows(session.actor.role, need)) {
      const detail = ERRORS.roleRequired(need, session.actor.role).message;
      return sendPage(
        reply,
        403,
        await problemPage(request, 'Permission denied', `${detail} Ask an owner to change your role.`),
      );
    }
  });

  const signedOut = html`<div class="sign-in"><h1>Signed out</h1><p>Your session has ended. <a href="/console/sign-in">Sign in again</a>.</p></div>`;

  /** An error page: inside the console's frame when signed in, bare otherwise. */
  async function problemPage(request: FastifyRequest, title: string, detail: string) {
    const body = html`<div class="problem"><p>${detail}</p><p><a href="/console/promotions">Back to the console</a></p></div>`;
    if (!request.consoleSession) return bare(deps.assets, title, html`<h1>${title}</h1>${body}`);
    return page(pageContext(request), { title, body });
  }

  app.setErrorHandler(async function consoleErrorPage(err: FastifyError, request, reply: FastifyReply) {
    const error = toApiError(err, request);
    if (!error || error.statusCode >= 500) {
      if (!error) request.log.error({ err }, 'console page failed');
      else request.log.warn({ err }, 'console page unavailable');
      const status = error?.statusCode ?? 500;
      reply.headers(error?.headers ?? {});
      return sendPage(
        reply,
        status,
        bare(
          deps.assets,
          'Something went wrong',
          html`<h1>Something went wrong</h1><p>The console could not answer. Nothing was changed; try again in a moment.</p><p><a href="/console/promotions">Back to the console</a></p>`,
        ),
      );
    }
    reply.headers(error.headers);
    return sendPage(reply, error.statusCode, await problemPage(request, error.title, error.message));
  });

  app.setNotFoundHandler(async function consoleNotFound(request, reply) {
    return sendPage(
      reply,
      404,
      bare(
        deps.assets,
        'Not found',
        html`<h1>Not found</h1><p>No console page is at <code>${request.url.split('?')[0]}</code>.</p><p><a href="/console/promotions">Back to the console</a></p>`,
      ),
    );
  });

  await app.register(assetRoutes(deps.assets));
  await app.register(
    signInPages({ ...deps, sessions, throttle: createLoginThrottle({ db, clock }), secureCookies }),
  );
  app.get('/', { config: { role: 'viewer' } }, async function consoleHome(_request, reply) {
    return reply.redirect('/console/promotions', 303);
  });
  await app.register(promotionPages(deps.repository));
  await app.register(enrollmentPages(deps.repository));
  await app.register(accountPages(deps.repository));
  await app.register(partnerPages);
  await app.register(webhookPages);
  await app.register(testClockPages);
  await app.register(auditLogPages);
  await app.register(operatorPages);
};
