import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { SCOPE_DESCRIPTIONS, type Scope } from '../auth/scopes.js';
import { escapeHtml } from '../http/html-escape.js';

// The pages carry no script at all; their one stylesheet is inline and allowed by its hash.
const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1f2328}
main{width:100%;max-width:26rem;margin:2rem 1rem;padding:2rem;background:#fff;border-radius:12px;
box-shadow:0 1px 3px rgba(0,0,0,.12),0 8px 24px rgba(0,0,0,.06)}
h1{font-size:1.25rem;margin:0 0 1rem}
ul{padding-left:1.25rem;margin:.5rem 0 1.5rem}
li{margin:.25rem 0}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=email],input[type=password]{width:100%;padding:.6rem .7rem;font:inherit;border:1px solid #c9ccd1;border-radius:6px}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
button{flex:1;padding:.65rem;font:inherit;font-weight:600;border-radius:6px;border:1px solid #c9ccd1;background:#fff;cursor:pointer}
button[value=approve]{background:#ff4f00;border-color:#ff4f00;color:#fff}
.message{padding:.6rem .75rem;border-radius:6px;background:#fdecea;color:#8a1c12;margin:0 0 1rem}
.muted{color:#59636e;font-size:.875rem}
`.trim();

const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** CSP source for where the form may lead: Chrome applies form-action to the redirect after the post too. */
function formTarget(redirectUri: string | undefined): string {
  if (!redirectUri) return '';
  try {
    const url = new URL(redirectUri);
    return url.origin !== 'null' ? ` ${url.origin}` : ` ${url.protocol}`;
  } catch {
    return '';
  }
}

/** Headers that make the pages safe to show: no framing, no script, no referrer, no caching. */
export function securePage(reply: FastifyReply, redirectUri?: string): FastifyReply {
  return reply.headers({
    'content-security-policy': [
      "default-src 'none'",
      `style-src ${STYLE_HASH}`,
      `form-action 'self'${formTarget(redirectUri)}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    pragma: 'no-cache',
  });
}

export const sendHtml = (reply: FastifyReply, status: number, html: string) =>
  reply.code(status).type('text/html; charset=utf-8').send(html);

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The hidden inputs that carry the authorization request through the form post, in this order. */
export const REQUEST_FIELDS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
] as const;
export type RequestField = (typeof REQUEST_FIELDS)[number];

export interface ConsentPageInput {
  partnerName: string;
  scopes: readonly Scope[];
  request: Record<RequestField, string>;
  csrfToken: string;
  email?: string;
  message?: string;
}

/** The login-and-consent page. Approve comes first, so Enter in the password field approves. */
export function renderConsentPage(input: ConsentPageInput): string {
  const name = escapeHtml(input.partnerName);
  const hidden = REQUEST_FIELDS.map(
    (field) => `<input type="hidden" name="${field}" value="${escapeHtml(input.request[field])}">`,
  ).join('\n');
  const scopes = input.scopes.map((s) => `<li>${escapeHtml(SCOPE_DESCRIPTIONS[s])}</li>`).join('\n');
  const message = input.message ? `<p class="message" role="alert">${escapeHtml(input.message)}</p>\n` : '';
  return layout(
    `Authorize ${input.partnerName}`,
    `<h1><strong>${name}</strong> wants to access your account</h1>
${message}<p>Sign in to allow ${name} to:</p>
<ul>
${scopes}
</ul>
<form method="POST" action="/oauth/authorize">
${hidden}
<input type="hidden" name="csrf_token" value="${escapeHtml(input.csrfToken)}">
<label for="email">Email</label>
<input type="email" id="email" name="email" autocomplete="username" required value="${escapeHtml(input.email ?? '')}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</div>
</form>
<p class="muted">You will be sent back to ${name} afterwards.</p>`,
  );
}

export function renderErrorPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}
