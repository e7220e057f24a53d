import type { FastifyInstance, FastifySchema } from 'fastify';
import type { z } from 'zod';
import type { AuditContext } from '../audit/audit-log.js';
import { type Page, pageOf } from '../pagination.js';
import type { Role } from '../rules/roles.js';
import { errorResponses as errors } from '../schemas.js';
import { apiAudit } from './admin-auth.js';

/** A route of the table: the error statuses openapi/admin.yaml lists for it. */
interface Route {
  errors: number[];
}

export interface ResourceRoutes<
  R extends z.ZodType,
  CreateBody extends z.ZodType,
  Created extends z.ZodType,
  Query extends z.ZodType,
  UpdateBody extends z.ZodType,
  Revealed extends z.ZodType,
> {
  /** The collection, e.g. `/operators`: create and list; a creation's Location is `/admin/v1<collection>/<id>`. */
  collection: string;
  /** One resource's params, a single id (e.g. `operator_id`): get, update and reveal `<collection>/:<id>`. */
  params: z.ZodObject<Record<string, z.ZodString>>;
  /** The resource as get and update answer it and list pages it. */
  resource: R;
  /** CONTRACT §11: the role that reads (list, get) and the one that writes (create, update, reveal). */
  roles: { read: Role; write: Role };
  /** POST collection: 201 with Location; `response` when the creation shows more (a secret, once). */
  create?: Route & {
    body: CreateBody;
    response?: Created;
    run(body: z.output<CreateBody>, audit: AuditContext): Promise<z.output<Created> & { id: string }>;
  };
  /** GET collection: a page of resources. */
  list?: Route & { querystring: Query; run(query: z.output<Query>): Promise<Page<z.output<R>>> };
  /** GET item. */
  get?: Route & { run(id: string): Promise<z.output<R>> };
  /** PATCH item: the fields given change. */
  update?: Route & {
    body: UpdateBody;
    run(id: string, body: z.output<UpdateBody>, audit: AuditContext): Promise<z.output<R>>;
  };
  /** POST `<item>/<name>`: a new secret (a password, a client secret), answered once, with `headers` so no cache keeps it. */
  reveal?: Route & {
    name: string;
    response: Revealed;
    headers: Record<string, string>;
    run(id: string, audit: AuditContext): Promise<z.output<Revealed>>;
  };
}

/**
 * The create, list, get and update routes of an admin resource (and the one that reveals a new
 * secret), declared from one table that maps each to its service operation: each with its
 * schemas, its role and its error statuses; writes run with the request's audit context. What
 * else a resource has (a sub-resource, a route of the caller's own) is declared beside it.
 */
export function registerResourceRoutes<
  R extends z.ZodType,
  CreateBody extends z.ZodType,
  Query extends z.ZodType,
  UpdateBody extends z.ZodType,
  Revealed extends z.ZodType,
  Created extends z.ZodType = R,
>(app: FastifyInstance, table: ResourceRoutes<R, CreateBody, Created, Query, UpdateBody, Revealed>): void {
  const { collection, params, resource, roles, create, list, get, update, reveal } = table;
  const [idName] = Object.keys(params.shape);
  if (idName === undefined) throw new Error(`${collection}: params must name the resource's id`);
  const item = `${collection}/:${idName}`;
  const idOf = (request: { params: unknown }) => (request.params as Record<string, string>)[idName]!;
  // The zod type provider validates each part against the schema declared with it; the table's
  // generics carry those types to `run` (a route's own inference cannot see through generics).
  const declared = (route: Route, role: Role, schema: FastifySchema, ok: 200 | 201, answer: z.ZodType) => ({
    schema: { ...schema, response: { [ok]: answer, ...errors(...route.errors) } },
    config: { role },
  });
  if (create) {
    app.post(
      collection,
      declared(create, roles.write, { body: create.body }, 201, create.response ?? resource),
      async function createResource(request, reply) {
        const created = await create.run(request.body as z.output<CreateBody>, apiAudit(request));
        return reply.code(201).header('location', `/admin/v1${collection}/${created.id}`).send(created);
      },
    );
  }
  if (list) {
    app.get(
      collection,
      declared(list, roles.read, { querystring: list.querystring }, 200, pageOf(resource)),
      async function listResources(request) {
        return list.run(request.query as z.output<Query>);
      },
    );
  }
  if (get) {
    app.get(item, declared(get, roles.read, { params }, 200, resource), async function getResource(request) {
      return get.run(idOf(request));
    });
  }
  if (update) {
    app.patch(
      item,
      declared(update, roles.write, { params, body: update.body }, 200, resource),
      async function updateResource(request) {
        return update.run(idOf(request), request.body as z.output<UpdateBody>, apiAudit(request));
      },
    );
  }
  if (reveal) {
    app.post(
      `${item}/${reveal.name}`,
      declared(reveal, roles.write, { params }, 200, reveal.response),
      async function revealSecret(request, reply) {
        const revealed = await reveal.run(idOf(request), apiAudit(request));
        return reply.headers(reveal.headers).send(revealed);
      },
    );
  }
}
