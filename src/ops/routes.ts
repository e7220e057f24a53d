import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { parse } from 'yaml';
import { RETRY_AFTER_SECONDS } from '../error-handler.js';
import { envelope } from '../errors.js';
import { PROJECT_ROOT } from '../paths.js';

export const OPENAPI_DIR = join(PROJECT_ROOT, 'openapi');

/** Health, readiness and the contract files. */
export const opsRoutes: FastifyPluginAsync = async (app) => {
  const { database } = app.services;
  const publicYaml = readFileSync(resolve(OPENAPI_DIR, 'promotions.yaml'), 'utf8');
  const publicJson = JSON.stringify(parse(publicYaml));
  const adminYaml = readFileSync(resolve(OPENAPI_DIR, 'admin.yaml'), 'utf8');
  const oauthYaml = readFileSync(resolve(OPENAPI_DIR, 'oauth.yaml'), 'utf8');

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    try {
      await database.ping();
      return { status: 'ok' };
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
      return reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send(envelope('service_unavailable', 'The database is unreachable.'));
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
