import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { parse } from 'yaml';
import { ERRORS } from '../errors.js';
import { PROJECT_ROOT } from '../paths.js';
import { appVersion } from './version.js';

export const OPENAPI_DIR = join(PROJECT_ROOT, 'openapi');

/** Health, readiness and the contract files. */
export const opsRoutes: FastifyPluginAsync = async (app) => {
  const { database } = app;
  const publicYaml = readFileSync(resolve(OPENAPI_DIR, 'promotions.yaml'), 'utf8');
  const publicJson = JSON.stringify(parse(publicYaml));
  const adminYaml = readFileSync(resolve(OPENAPI_DIR, 'admin.yaml'), 'utf8');
  const oauthYaml = readFileSync(resolve(OPENAPI_DIR, 'oauth.yaml'), 'utf8');

  const { version, build } = appVersion();
  app.get('/healthz', { config: { neverShed: true } }, async () => ({ status: 'ok', version, build }));

  // CONTRACT §7: readiness has its own short bound (READINESS_TIMEOUT_MS), so a database that
  // stopped answering (a partition, not a refusal) reads as not ready within a second or so.
  const readinessTimeoutMs = app.config.readinessTimeoutMs;
  app.get('/readyz', async function readiness(request, reply) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        database.ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the database did not answer within ${readinessTimeoutMs} ms`)),
            readinessTimeoutMs,
          );
        }),
      ]);
      return { status: 'ok' };
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
      const unavailable = ERRORS.databaseUnreachable();
      return reply.code(503).headers(unavailable.headers).send(unavailable.toEnvelope());
    } finally {
      clearTimeout(timer);
    }
  });

  app.get('/openapi.yaml', (_request, reply) =>
    reply.type('application/yaml; charset=utf-8').send(publicYaml),
  );
  app.get('/openapi.json', (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(publicJson),
  );
  app.get('/openapi/admin.yaml', (_request, reply) =>
    reply.type('application/yaml; charset=utf-8').send(adminYaml),
  );
  app.get('/openapi/oauth.yaml', (_request, reply) =>
    reply.type('application/yaml; charset=utf-8').send(oauthYaml),
  );
};
