// Console: signing in and out (CONTRACT §11). The form carries a CSRF token bound to a nonce
// cookie; failed passwords are throttled per email and per IP in the database (the consent
// page's throttle, with its own keys); a success starts a session whose cookie is HttpOnly,
// SameSite=Strict, Path=/console (and Secure behind https).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { LoginThrottle } from '../../auth/login-throttle.js';
import { EMAIL_FAILURE_LIMIT, IP_FAILURE_LIMIT } from '../../auth/login-throttle.js';
import { sha256 } from '../../auth/secrets.js';
import { isApiError } from '../../errors.js';
import { httpOnlyCookie, readCookie } from '../../http/cookies.js';
import { browserNonce, isCsrfNonce } from '../../http/csrf-key.js';
import { ChangePasswordSchema } from '../../operators/schemas.js';
import { SIGN_IN_TTL_SECONDS } from '../csrf.js';
import { href, html } from '../html.js';
import { bare, field, form, notice, page } from '../layout.js';
import {
  type ConsoleDeps,
  consoleAudit,
  noticeFrom,
  pageContext,
  readConsoleForm,
  sendPage,
} from '../request.js';
import { SESSION_COOKIE, type Sessions, sessionCookie } from '../sessions.js';

const NONCE_COOKIE = 'console_csrf';
/** An operator's own password: where a reset sends them before any other page. */
export const PASSWORD_PATH = '/console/password';

/** Where to go after signing in: a console path of this server, never elsewhere. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/console(\/[^\s\\]*)?$/.test(value) && !value.startsWith('//')
    ? value
    : '/console/promotions';
}

const nonceCookie = (nonce: string, secure: boolean) =>
  httpOnlyCookie(NONCE_COOKIE, nonce, {
    path: '/console',
    maxAgeSeconds: SIGN_IN_TTL_SECONDS,
    sameSite: 'Strict',
    secure,
  });

export const signInPages = (
  deps: ConsoleDeps & { sessions: Sessions; throttle: LoginThrottle; secureCookies: boolean },
): FastifyPluginAsync =>
  async function consoleSignIn(app) {
    const { operatorService } = app;
    const { csrf, sessions, throttle, secureCookies, assets } = deps;

    async function signInPage(
      request: FastifyRequest,
      reply: FastifyReply,
      status: number,
      input: { email?: string; message?: string; next?: string } = {},
    ) {
      const nonce = browserNonce(request, reply, NONCE_COOKIE, (n) => nonceCookie(n, secureCookies));
      const token = await csrf.forSignIn(nonce);
      return sendPage(
        reply,
        status,
        bare(
          assets,
          'Sign in',
          html`<div class="sign-in">
<h1>Promotions console</h1>
<p class="muted">Sign in with your operator account.</p>
${input.message ? notice('error', input.message) : noticeFrom(request.query)}
<form method="post" action="/console/sign-in" class="stack">
<input type="hidden" name="csrf_token" value="${token}">
<input type="hidden" name="next" value="${safeNext(input.next)}">
${field({ name: 'email', label: 'Email', type: 'email', value: input.email ?? '', required: true, attrs: html` autocomplete="username" autofocus` })}
${field({ name: 'password', label: 'Password', type: 'password', required: true, attrs: html` autocomplete="current-password"` })}
<button type="submit">Sign in</button>
</form>
<p class="muted small">No account? An owner adds operators (console or <code>npm run admin -- operators create</code>).</p>
</div>`,
        ),
      );
    }

    app.get('/sign-in', { config: { consolePublic: true } }, async function signInForm(request, reply) {
      const next = (request.query as { next?: unknown }).next;
      if (await sessions.resolve(readCookie(request.headers.cookie, SESSION_COOKIE))) {
        return reply.redirect(safeNext(next), 303);
      }
      return signInPage(request, reply, 200, { next: typeof next === 'string' ? next : undefined });
    });

    app.post('/sign-in', { config: { consolePublic: true } }, async function signIn(request, reply) {
      const form = readConsoleForm(request);
      const nonce = readCookie(request.headers.cookie, NONCE_COOKIE);
      if (!(await csrf.verifySignIn(form.csrf_token, isCsrfNonce(nonce) ? nonce : undefined))) {
        return signInPage(request, reply, 403, {
          email: form.email,
          next: form.next,
          message: 'This form expired. Sign in again.',
        });
      }
      const email = (form.email ?? '').trim();
      const keys = [
        { key: `console-email:${sha256(email.toLowerCase())}`, limit: EMAIL_FAILURE_LIMIT },
        { key: `console-ip:${request.ip}`, limit: IP_FAILURE_LIMIT },
      ];
      const wait = await throttle.retryAfter(keys);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        return signInPage(request, reply, 429, {
          email,
          next: form.next,
          message: 'Too many failed sign-ins. Wait a few minutes and try again.',
        });
      }
      const operator = await operatorService.verifyPassword(email, form.password ?? '');
      if (!operator) {
        await throttle.recordFailure(keys);
        return signInPage(request, reply, 401, {
          email,
          next: form.next,
          message: 'The email or password is incorrect, or the operator is disabled.',
        });
      }
      await throttle.reset(keys[0]!.key);
      const value = await sessions.start(operator.id);
      reply.header('set-cookie', sessionCookie(value, secureCookies));
      // After an owner's reset, the temporary password is replaced first.
      return reply.redirect(operator.mustChangePassword ? PASSWORD_PATH : safeNext(form.next), 303);
    });

    async function passwordPage(
      request: FastifyRequest,
      reply: FastifyReply,
      status: number,
      message?: string,
    ) {
      const ctx = pageContext(request);
      const forced = request.consoleSession?.mustChangePassword === true;
      return sendPage(
        reply,
        status,
        page(ctx, {
          title: 'Change your password',
          notice: message
            ? notice('error', message)
            : forced
              ? notice('info', 'Your password was reset by an owner: choose a new one to continue.')
              : null,
          body: html`${form(ctx, {
            action: PASSWORD_PATH,
            need: 'viewer',
            submit: 'Change password',
            id: 'password-form',
            body: html`${field({ name: 'current_password', label: forced ? 'Temporary password' : 'Current password', type: 'password', required: true, attrs: html` autocomplete="current-password"` })}
${field({ name: 'new_password', label: 'New password', type: 'password', required: true, hint: 'At least 12 characters.', attrs: html` autocomplete="new-password" minlength="12" maxlength="200"` })}
${field({ name: 'confirm_password', label: 'New password again', type: 'password', required: true, attrs: html` autocomplete="new-password"` })}`,
          })}`,
        }),
      );
    }

    // Any signed-in operator, for their own password (ADMIN_TOKEN never signs in here).
    app.get(
      PASSWORD_PATH.slice('/console'.length),
      { config: { role: 'viewer' } },
      async function passwordForm(request, reply) {
        return passwordPage(request, reply, 200);
      },
    );

    app.post(
      PASSWORD_PATH.slice('/console'.length),
      { config: { role: 'viewer' } },
      async function changePassword(request, reply) {
        const f = readConsoleForm(request);
        if ((f.new_password ?? '') !== (f.confirm_password ?? '')) {
          return passwordPage(request, reply, 400, 'The two new passwords differ.');
        }
        const parsed = ChangePasswordSchema.safeParse({
          current_password: f.current_password ?? '',
          new_password: f.new_password ?? '',
        });
        if (!parsed.success) {
          return passwordPage(
            request,
            reply,
            400,
            'The new password needs at least 12 characters (at most 200).',
          );
        }
        try {
          await operatorService.changeOwnPassword(
            request.consoleSession!.actor.operatorId!,
            parsed.data,
            consoleAudit(request),
          );
        } catch (error) {
          if (!isApiError(error) || error.statusCode >= 500) throw error;
          return passwordPage(request, reply, error.statusCode, error.message);
        }
        return reply.redirect(href('/console/promotions', { notice: 'password_changed' }), 303);
      },
    );

    app.post('/sign-out', { config: { role: 'viewer' } }, async function signOut(request, reply) {
      if (request.consoleSession) await sessions.end(request.consoleSession.id);
      reply.header('set-cookie', sessionCookie('', secureCookies, 0));
      return reply.redirect(href('/console/sign-in', { notice: 'signed_out' }), 303);
    });
  };
