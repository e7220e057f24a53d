// The console's static files, served by this server (no CDN, works offline): its one
// stylesheet and htmx from the htmx.org npm package. URLs carry a hash of the content, so
// browsers may cache them for a year and a new version is a new URL.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { PROJECT_ROOT } from '../paths.js';

export const ASSETS_DIR = join(PROJECT_ROOT, 'src', 'console', 'assets');

interface Asset {
  body: Buffer;
  type: string;
  /** `/console/assets/<name>?v=<hash>` */
  url: string;
}

function asset(name: string, file: string, type: string): Asset {
  const body = readFileSync(file);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { body, type, url: `/console/assets/${name}?v=${hash}` };
}

const require = createRequire(import.meta.url);

/** Read once at start: a missing file stops the start, not a page view. */
export function loadAssets() {
  return {
    css: asset('console.css', join(ASSETS_DIR, 'console.css'), 'text/css; charset=utf-8'),
    htmx: asset(
      'htmx.min.js',
      require.resolve('htmx.org/dist/htmx.min.js'),
      'application/javascript; charset=utf-8',
    ),
  };
}

export type Assets = ReturnType<typeof loadAssets>;

/** GET /console/assets/<name>: public, immutable, never sniffed. */
export function assetRoutes(assets: Assets): FastifyPluginAsync {
  return async function consoleAssets(app) {
    for (const { body, type, url } of Object.values(assets)) {
      // This plugin is registered inside the /console scope: its routes are relative to it.
      const path = url.split('?')[0]!.replace(/^\/console/, '');
      app.get(path, { config: { consolePublic: true } }, async function serveAsset(_request, reply) {
        return reply
          .type(type)
          .headers({
            'cache-control': 'public, max-age=31536000, immutable',
            'x-content-type-options': 'nosniff',
          })
          .send(body);
      });
    }
  };
}
