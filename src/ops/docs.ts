import { createHash } from 'node:crypto';
import scalarApiReference from '@scalar/fastify-api-reference';
import type { FastifyPluginAsync } from 'fastify';

export const DOCS_PREFIX = '/docs';

/**
 * The three contract files, as served by the ops routes. The public API comes first: it is
 * what partners open /docs for.
 */
const OFFLINE = { agent: { disabled: true }, mcp: { disabled: true } };
const SOURCES = [
  { title: 'Promotions API', slug: 'promotions', url: '/openapi.yaml', default: true, ...OFFLINE },
  { title: 'OAuth 2 authorization server', slug: 'oauth', url: '/openapi/oauth.yaml', ...OFFLINE },
  { title: 'Admin and operations API', slug: 'admin', url: '/openapi/admin.yaml', ...OFFLINE },
];

const INLINE_SCRIPT = /<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g;

/**
 * Everything the page needs comes from this server (so /docs works offline and behind a
 * firewall): the Scalar bundle is served from node_modules at /docs/js/scalar.js, no web fonts,
 * no telemetry, no "try it" proxy, no links out to a hosted client.
 */
const CONFIGURATION = {
  sources: SOURCES,
  pageTitle: 'Promotions enrollment server — API reference',
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: true,
  showDeveloperTools: 'never',
  defaultOpenAllTags: true,
  // Try-it requests and code samples target the server that serves the page.
  servers: [{ url: '/', description: 'This server' }],
};

/**
 * Content-Security-Policy for the reference page: scripts only from this origin plus the one
 * inline bootstrap script, pinned by its hash (Scalar renders it from a fixed configuration, so
 * the hash is stable); styles are injected at runtime by the bundle, hence 'unsafe-inline'.
 */
export function docsCsp(html: string): string {
  const hashes = [...html.matchAll(INLINE_SCRIPT)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
  );
  return [
    "default-src 'none'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** GET /docs: an interactive reference of openapi/*.yaml (Scalar, bundled, no CDN). */
export const docsRoutes: FastifyPluginAsync = async (app) => {
  // Encapsulated: this hook sees only the routes Scalar registers under /docs.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof payload === 'string' && typeof type === 'string' && type.startsWith('text/html')) {
      reply.header('content-security-policy', docsCsp(payload));
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    }
    return payload;
  });

  await app.register(scalarApiReference, {
    routePrefix: DOCS_PREFIX,
    logLevel: 'warn',
    // Scalar's options are a wide union; these keys are all documented ones.
    configuration: CONFIGURATION as Parameters<typeof scalarApiReference>[1]['configuration'],
  });
};
