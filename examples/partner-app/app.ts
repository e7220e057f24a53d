import { randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import oauth2, { type OAuth2Namespace, type Token } from '@fastify/oauth2';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  createPromotionsClient,
  type PromotionDetail,
  PromotionsApiError,
  type VerifiedWebhook,
  verifyWebhook,
  WebhookVerificationError,
} from '../../clients/typescript/src/index.js';

/**
 * A partner's web app, as a partner would write it: "Connect your account" sends the user to
 * the promotions server's consent page (authorization code + PKCE S256, by @fastify/oauth2);
 * the callback swaps the code for a user token; "Enroll" calls POST /v2/promotions with the
 * typed client and the page then shows the enrollment's usage (GET /v2/promotions/{id}).
 * `/webhooks` receives the server's signed events (Standard Webhooks): it verifies each one
 * with WEBHOOK_SECRET, dedupes on `webhook-id` (delivery is at-least-once) and lists them.
 */

declare module 'fastify' {
  interface FastifyInstance {
    promotionsOAuth: OAuth2Namespace;
  }
}

export interface PartnerConfig {
  promotionsUrl: string;
  clientId: string;
  clientSecret: string;
  promotionId: string;
  host: string;
  port: number;
  /** Where the promotions server sends the user back; must be one of the partner's redirect URIs. */
  callbackUrl: string;
  /** The `whsec_…` secret of this app's webhook endpoint; without it /webhooks answers 503. */
  webhookSecret?: string;
}

/** PROMOTIONS_URL, CLIENT_ID, CLIENT_SECRET, PROMOTION_ID, HOST, PORT, CALLBACK_URL, WEBHOOK_SECRET. */
export function loadPartnerConfig(env: NodeJS.ProcessEnv): PartnerConfig {
  const missing = ['CLIENT_ID', 'CLIENT_SECRET'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(' and ')} must be set: the demo partner's values are printed by the promotions server on its first start`,
    );
  }
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const host = env.HOST ?? '127.0.0.1';
  return {
    promotionsUrl: (env.PROMOTIONS_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    clientId: env.CLIENT_ID!,
    clientSecret: env.CLIENT_SECRET!,
    promotionId: env.PROMOTION_ID ?? 'demo_promotion',
    host,
    port,
    callbackUrl: env.CALLBACK_URL ?? `http://${host}:${port}/callback`,
    ...(env.WEBHOOK_SECRET ? { webhookSecret: env.WEBHOOK_SECRET } : {}),
  };
}

/** What the partner keeps per browser: the user's tokens and the enrollment id it must store. */
interface Session {
  token?: Token;
  enrollmentId?: string;
  flash?: string;
}

export type SessionStore = Map<string, Session>;

const SESSION_COOKIE = 'partner_session';
const SCOPES = ['promotions:read', 'promotions:write'];

export async function buildPartnerApp(
  config: PartnerConfig,
  options: { sessions?: SessionStore; logger?: boolean } = {},
): Promise<FastifyInstance> {
  const sessions = options.sessions ?? new Map<string, Session>();
  const app = Fastify({ logger: options.logger ?? false });
  await app.register(formbody);
  await app.register(oauth2, {
    name: 'promotionsOAuth',
    scope: SCOPES,
    credentials: {
      client: { id: config.clientId, secret: config.clientSecret },
      auth: {
        authorizeHost: config.promotionsUrl,
        authorizePath: '/oauth/authorize',
        tokenHost: config.promotionsUrl,
        tokenPath: '/oauth/token',
      },
    },
    startRedirectPath: '/connect',
    callbackUri: config.callbackUrl,
    pkce: 'S256',
  });

  function session(request: FastifyRequest, reply: FastifyReply): Session {
    const id = request.cookies[SESSION_COOKIE];
    const found = id ? sessions.get(id) : undefined;
    if (found) return found;
    const fresh: Session = {};
    const newId = randomBytes(24).toString('base64url');
    sessions.set(newId, fresh);
    reply.setCookie(SESSION_COOKIE, newId, { path: '/', httpOnly: true, sameSite: 'lax' });
    return fresh;
  }

  /** The user's access token, refreshed with the refresh token when it is about to expire. */
  async function accessToken(s: Session): Promise<string> {
    if (!s.token) throw new Error('not connected');
    if (s.token.refresh_token && new Date(s.token.expires_at).getTime() - Date.now() < 30_000) {
      s.token = (await app.promotionsOAuth.getNewAccessTokenUsingRefreshToken(s.token, {})).token;
    }
    return s.token.access_token;
  }

  const clientFor = (s: Session) =>
    createPromotionsClient({ baseUrl: config.promotionsUrl, getAccessToken: () => accessToken(s) });

  // Webhooks: verified, deduped on webhook-id, newest first (in memory, like the sessions).
  const received: VerifiedWebhook[] = [];
  const seen = new Set<string>();
  await app.register(async (scope) => {
    // The signature covers the exact bytes sent, so this route keeps the raw body.
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    scope.post('/webhooks', async (request, reply) => {
      if (!config.webhookSecret) return reply.code(503).send({ error: 'WEBHOOK_SECRET is not set' });
      let event: VerifiedWebhook;
      try {
        event = verifyWebhook(config.webhookSecret, request.body as string, request.headers);
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        return reply.code(400).send({ error: 'invalid signature' });
      }
      // A redelivery of an event already handled is acknowledged and otherwise ignored.
      if (seen.has(event.id)) return reply.code(200).send({ duplicate: true });
      seen.add(event.id);
      received.unshift(event);
      received.splice(50);
      return reply.code(204).send();
    });
  });

  app.get('/', async (request, reply) => {
    const s = session(request, reply);
    const flash = s.flash;
    s.flash = undefined;
    if (!s.token)
      return page(reply, 'Connect your account', connectPage(config, flash) + eventsSection(received));
    let detail: PromotionDetail | undefined;
    let problem = flash;
    if (s.enrollmentId) {
      try {
        detail = await clientFor(s).getEnrollment(s.enrollmentId);
      } catch (error) {
        if (!(error instanceof PromotionsApiError)) throw error;
        problem = `${error.detail} (${error.code})`;
        if (error.status === 404) s.enrollmentId = undefined;
      }
    }
    return page(
      reply,
      'Enroll into the demo promotion',
      enrollPage(config, detail, problem) + eventsSection(received),
    );
  });

  app.get('/callback', async (request, reply) => {
    const s = session(request, reply);
    const query = request.query as { error?: string; error_description?: string };
    if (query.error) {
      s.flash =
        query.error === 'access_denied'
          ? 'You declined the connection.'
          : (query.error_description ?? query.error);
      return reply.redirect('/', 303);
    }
    try {
      const { token } = await app.promotionsOAuth.getAccessTokenFromAuthorizationCodeFlow(request, reply);
      s.token = token;
      return reply.redirect('/', 303);
    } catch (error) {
      request.log.warn({ err: error }, 'authorization code exchange failed');
      return page(
        reply.code(400),
        'Connection failed',
        `<p class="error">The connection failed: ${html(describe(error))}</p>
        <p><a href="/">Start again</a></p>`,
      );
    }
  });

  app.post('/enroll', async (request, reply) => {
    const s = session(request, reply);
    if (!s.token) return reply.redirect('/', 303);
    try {
      // A partner stores the enrollment id: it is the only handle on the enrollment.
      const { enrollment_id } = await clientFor(s).enroll(config.promotionId);
      s.enrollmentId = enrollment_id;
    } catch (error) {
      if (!(error instanceof PromotionsApiError)) throw error;
      s.flash = `${error.detail} (${error.code})`;
    }
    return reply.redirect('/', 303);
  });

  app.post('/disconnect', async (request, reply) => {
    const id = request.cookies[SESSION_COOKIE];
    if (id) sessions.delete(id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  return app;
}

// --- pages --------------------------------------------------------------------------------------

function connectPage(config: PartnerConfig, flash?: string): string {
  return `${flash ? `<p class="error">${html(flash)}</p>` : ''}
    <p>This is <strong>Acme</strong>, a partner app. Connect your account on the promotions server so
    Acme can enroll it into <code>${html(config.promotionId)}</code>.</p>
    <p><a class="button" id="connect" href="/connect">Connect your account</a></p>
    <p class="muted">You will sign in on ${html(config.promotionsUrl)} and approve
    <code>${SCOPES.join(' ')}</code>; Acme never sees your password.</p>`;
}

function enrollPage(config: PartnerConfig, detail: PromotionDetail | undefined, problem?: string): string {
  const error = problem ? `<p class="error">${html(problem)}</p>` : '';
  const action = detail
    ? ''
    : `<form method="post" action="/enroll"><button type="submit" id="enroll">Enroll into ${html(config.promotionId)}</button></form>`;
  const usage = detail
    ? `<h2>Your enrollment</h2>
      <table id="usage">
        <tr><th>Enrollment</th><td><code>${html(detail.enrollment_id ?? '')}</code></td></tr>
        <tr><th>Status</th><td>${html(detail.status)}</td></tr>
        <tr><th>Tasks used this month</th><td><strong>${detail.tasks_used_this_month}</strong> of ${detail.task_limit_per_month ?? 'unlimited'}</td></tr>
        <tr><th>Billing cycle</th><td>${html(detail.billing_cycle_start ?? '')} → ${html(detail.billing_cycle_end ?? '')}</td></tr>
        <tr><th>Enrolled</th><td>${html(detail.enrollment_date ?? '')}</td></tr>
        <tr><th>Expires</th><td>${html(detail.expiration_date ?? 'never')}</td></tr>
      </table>`
    : '';
  return `<p>Your account is connected.</p>${error}${action}${usage}
    <form method="post" action="/disconnect"><button type="submit" class="link">Disconnect</button></form>`;
}

/** The received webhook events, newest first; nothing until one arrived. */
function eventsSection(events: VerifiedWebhook[]): string {
  if (events.length === 0) return '';
  const rows = events
    .map(
      (e) =>
        `<tr><td>${html(e.timestamp)}</td><td><code>${html(e.type)}</code></td><td><code>${html(
          String(e.data.enrollment_id ?? e.data.id ?? ''),
        )}</code></td><td class="muted">${html(e.id)}</td></tr>`,
    )
    .join('');
  return `<h2>Received webhooks</h2>
    <table id="webhooks"><tr><th>At</th><th>Event</th><th>Subject</th><th>Id</th></tr>${rows}</table>`;
}

function page(reply: FastifyReply, title: string, body: string) {
  return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${html(title)} · Acme</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #1f2328; }
  .button, button { display: inline-block; background: #ff4f00; color: #fff; border: 0; border-radius: 6px;
    padding: .6rem 1.1rem; font: inherit; text-decoration: none; cursor: pointer; }
  button.link { background: none; color: #57606a; padding: 0; margin-top: 2rem; text-decoration: underline; }
  .error { color: #b42318; } .muted { color: #57606a; font-size: .9rem; }
  table { border-collapse: collapse; } th, td { text-align: left; padding: .3rem 1rem .3rem 0; }
</style></head>
<body><h1>${html(title)}</h1>
${body}
</body></html>`);
}

const html = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function describe(error: unknown): string {
  const data = (error as { data?: { payload?: { error?: string; error_description?: string } } }).data
    ?.payload;
  if (data?.error) return data.error_description ? `${data.error}: ${data.error_description}` : data.error;
  return error instanceof Error ? error.message : String(error);
}
