// registerResourceRoutes (src/admin/resource-routes.ts): the admin routes a resource table
// declares, on a bare Fastify with the app's compilers and a caller already authenticated.
import Fastify, { type FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerResourceRoutes } from '../../src/admin/resource-routes.js';
import type { AuditContext } from '../../src/audit/audit-log.js';
import { ADMIN_TOKEN_ACTOR } from '../../src/rules/roles.js';
import { compiledSerializerCompiler } from '../../src/serializer.js';

const ThingSchema = z.object({ id: z.string(), name: z.string() });
const calls: unknown[][] = [];
let app: FastifyInstance;

async function thingsApp(): Promise<FastifyInstance> {
  app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(compiledSerializerCompiler);
  const routes: Record<string, unknown>[] = [];
  app.addHook('onRoute', (route) => {
    // Fastify adds a HEAD route beside each GET by itself.
    if (route.method !== 'HEAD')
      routes.push({ method: route.method, url: route.url, role: route.config?.role });
  });
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    request.actor = ADMIN_TOKEN_ACTOR;
  });
  const audited = (audit: AuditContext) => audit.via;
  await app.register(async (scope) => {
    registerResourceRoutes(scope, {
      collection: '/things',
      params: z.object({ thing_id: z.string().max(36) }),
      resource: ThingSchema,
      roles: { read: 'viewer', write: 'editor' },
      create: {
        body: z.object({ name: z.string() }),
        errors: [400, 401, 403, 503],
        run: async (body, audit) => {
          calls.push(['create', body, audited(audit)]);
          return { id: 't1', name: body.name };
        },
      },
      get: { errors: [401, 404, 503], run: async (id) => ({ id, name: 'one' }) },
      reveal: {
        name: 'rotate',
        response: ThingSchema.extend({ secret: z.string() }),
        headers: { 'cache-control': 'no-store' },
        errors: [401, 403, 404, 503],
        run: async (id, audit) => {
          calls.push(['rotate', id, audited(audit)]);
          return { id, name: 'one', secret: 's' };
        },
      },
    });
  });
  await app.ready();
  expect(routes).toEqual([
    { method: 'POST', url: '/things', role: 'editor' },
    { method: 'GET', url: '/things/:thing_id', role: 'viewer' },
    { method: 'POST', url: '/things/:thing_id/rotate', role: 'editor' },
  ]);
  return app;
}

afterEach(async () => {
  calls.length = 0;
  await app?.close();
});

describe('registerResourceRoutes', () => {
  it('declares only the routes of the table, each with the role of its kind', async () => {
    await thingsApp();
    expect(app.hasRoute({ method: 'GET', url: '/things' })).toBe(false);
    expect(app.hasRoute({ method: 'PATCH', url: '/things/:thing_id' })).toBe(false);
  });

  it('answers a creation 201 with its Location, running it with the body and the audit context', async () => {
    await thingsApp();
    const res = await app.inject({ method: 'POST', url: '/things', payload: { name: 'one' } });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('/admin/v1/things/t1');
    expect(res.json()).toEqual({ id: 't1', name: 'one' });
    expect(calls).toEqual([['create', { name: 'one' }, 'api']]);
  });

  it('passes the id of the path to get and to the revealing action, whose answer carries its headers', async () => {
    await thingsApp();
    expect((await app.inject({ method: 'GET', url: '/things/abc' })).json()).toEqual({
      id: 'abc',
      name: 'one',
    });
    const res = await app.inject({ method: 'POST', url: '/things/abc/rotate' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ id: 'abc', name: 'one', secret: 's' });
    expect(calls).toEqual([['rotate', 'abc', 'api']]);
  });

  it('refuses params that name no id', () => {
    const bare = Fastify();
    expect(() =>
      registerResourceRoutes(bare, {
        collection: '/things',
        params: z.object({}),
        resource: ThingSchema,
        roles: { read: 'viewer', write: 'editor' },
      }),
    ).toThrow("/things: params must name the resource's id");
  });
});
