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

  app.get('/readyz', async function readiness(request, reply) {
    try {
      await database.ping();
      return { status: 'ok' };
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
      const unavailable = ERRORS.databaseUnreachable();
      return reply.code(503).headers(unavailable.headers).send(unavailable.toEnvelope());
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
