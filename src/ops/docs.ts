import { createHash } from 'node:crypto';
import Fastify, {
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';

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

/** The Scalar plugin in a private instance of its own, with the page's security headers. */
async function buildReference(): Promise<FastifyInstance> {
  const { default: scalarApiReference } = await import('@scalar/fastify-api-reference');
  const reference = Fastify({ logger: false });
  reference.addHook('onSend', async function rewriteDocsPage(_request, reply, payload) {
    const type = reply.getHeader('content-type');
    if (typeof payload === 'string' && typeof type === 'string' && type.startsWith('text/html')) {
      reply.header('content-security-policy', docsCsp(payload));
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    }
    return payload;
  });
  await reference.register(scalarApiReference, {
    routePrefix: DOCS_PREFIX,
    // Scalar's options are a wide union; these keys are all documented ones.
    configuration: CONFIGURATION as Parameters<typeof scalarApiReference>[1]['configuration'],
  });
  await reference.ready();
  return reference;
}

/** Hop-by-hop and length headers the outer reply sets itself. */
const NOT_FORWARDED = new Set(['connection', 'content-length', 'date', 'keep-alive', 'transfer-encoding']);

/**
 * GET /docs: an interactive reference of openapi/*.yaml (Scalar, bundled, no CDN).
 *
 * Scalar's plugin embeds its 4 MB browser bundle as a string: importing it costs ~20 MB of
 * heap (~37 MB RSS) that a server nobody opens /docs on should not carry (issue 11's RSS
 * target). So it is imported on the first visit, into a private Fastify instance, and
 * /docs/* is answered by that instance through `inject`: same routes, redirects and headers.
 */
export const docsRoutes: FastifyPluginAsync = async (app) => {
  let reference: Promise<FastifyInstance> | undefined;
  const load = () => {
    reference ??= buildReference().catch((error: unknown) => {
      reference = undefined; // a failed import is retried by the next visit
      throw error;
    });
    return reference;
  };
  app.addHook('onClose', async () => {
    if (reference) await (await reference.catch(() => undefined))?.close();
  });

  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    const inner = await load();
    const response = await inner.inject({
      method: request.method as 'GET' | 'HEAD',
      url: request.url,
      headers: { accept: request.headers.accept ?? '*/*' },
    });
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined && !NOT_FORWARDED.has(name)) reply.header(name, value);
    }
    return reply.code(response.statusCode).send(response.rawPayload);
  };
  app.get(DOCS_PREFIX, forward);
  app.get(`${DOCS_PREFIX}/*`, forward);
};
