// CONTRACT §4.1: every input is bounded by the contract, and the zod schemas the routes validate
// with hold the same bounds. For each operation of the three OpenAPI files, the route's own
// schema objects (as the running app registered them) are compared with the documented
// parameters and JSON body: maxLength, minLength, maxItems, minItems, minimum and maximum,
// property by property, all the way down.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../../src/app.js';
import { BootstrapDocumentSchema } from '../../src/bootstrap/schema.js';
import { loadConfig } from '../../src/config.js';
import { MAX_EVENTS_PER_REQUEST, UsageEventSchema } from '../../src/usage/ingest.js';
import { ADMIN_TOKEN } from '../helpers/app.js';
import { CONTRACT_FILES, loadContract } from '../helpers/contract.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const contract = loadContract();

/**
 * Routes that read their input by hand, not through a zod schema, each with where its bounds
 * live. Every other documented input must have a zod counterpart.
 */
const HAND_READ: Record<string, string> = {
  'POST /oauth/authorize': 'src/http/form.ts and authorize-request.ts (state 1024, client_id 200, PKCE 43)',
  'GET /oauth/authorize': 'src/oauth/authorize-request.ts (state 1024, client_id 200, PKCE 43)',
  'POST /v2/authorize': 'the alias of POST /oauth/authorize',
  'GET /v2/authorize': 'the alias of GET /oauth/authorize',
  'POST /oauth/token': 'src/oauth/token-endpoint.ts (code_verifier 43–128, client_id 200)',
  'POST /oauth/revoke': 'src/oauth/token-management.ts (an unknown token is simply unknown)',
  'POST /oauth/introspect': 'src/oauth/token-management.ts (an unknown token is inactive)',
};

const BOUNDS = ['maxLength', 'minLength', 'maxItems', 'minItems', 'minimum', 'maximum'] as const;
/** A format that bounds the length, whichever side spells it. */
const FORMAT_MAX_LENGTH: Record<string, number> = { uuid: 36 };
/** A pattern of a character class repeated `{min,max}` times (after an optional first one) bounds the length too. */
const LENGTH_PATTERN = /^\^(\[[^\]]+\])?\[[^\]]+\]\{(\d+),(\d+)\}\$$/;

/**
 * Inputs whose zod schema is not the route's own: the route takes them as they come and a
 * parser validates them afterwards, listing every problem.
 */
const PARSED_LATER: Record<string, z.ZodType> = {
  'POST /admin/v1/bootstrap body.document': BootstrapDocumentSchema,
  // CONTRACT §12.3: each event is checked on its own, so one bad event is rejected alone.
  'POST /admin/v1/usage_events body.events': z.array(UsageEventSchema).min(1).max(MAX_EVENTS_PER_REQUEST),
};

/**
 * Mismatches left on purpose, each with its reason; the test fails when one of them is fixed,
 * so the list cannot go stale.
 */
const PENDING: Record<string, string> = {};
/** zod's default bounds of an integer without its own: JavaScript's safe integers. */
const SAFE = Number.MAX_SAFE_INTEGER;

function deref(doc: Json, node: unknown): Json {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${current.$ref}`);
    const ref = current.$ref as string;
    const [file, fragment = ''] = ref.split('#');
    const root = file ? (contract.documents[file as (typeof CONTRACT_FILES)[number]] as Json) : doc;
    current = fragment
      .split('/')
      .slice(1)
      .reduce<unknown>((acc, key) => (isObject(acc) ? acc[key.replace(/~1/g, '/')] : undefined), root);
  }
  return (current ?? {}) as Json;
}

/** Strips what makes a schema nullable (`type: [x, 'null']`, `anyOf: [x, {type: null}]`). */
function unwrap(doc: Json, node: unknown): Json {
  let schema = deref(doc, node);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const real = options.map((o) => deref(doc, o)).filter((o) => o.type !== 'null');
      if (real.length === 1) schema = { ...schema, ...real[0], [key]: undefined };
    }
  }
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((p) => unwrap(doc, p));
    const merged: Json = { ...schema, allOf: undefined, properties: {} };
    for (const p of parts) {
      Object.assign(merged, p, { properties: { ...(merged.properties as Json), ...(p.properties as Json) } });
    }
    schema = merged;
  }
  return schema;
}

function boundsOf(schema: Json): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const key of BOUNDS) out[key] = typeof schema[key] === 'number' ? (schema[key] as number) : undefined;
  const fixed = typeof schema.format === 'string' ? FORMAT_MAX_LENGTH[schema.format] : undefined;
  if (fixed !== undefined) out.maxLength ??= fixed;
  const lengths = typeof schema.pattern === 'string' ? LENGTH_PATTERN.exec(schema.pattern) : null;
  if (lengths) {
    const first = lengths[1] ? 1 : 0;
    out.minLength ??= Number(lengths[2]) + first;
    out.maxLength ??= Number(lengths[3]) + first;
  }
  if (schema.type === 'integer' || (Array.isArray(schema.type) && schema.type.includes('integer'))) {
    if (out.minimum === -SAFE) out.minimum = undefined;
    if (out.maximum === SAFE) out.maximum = undefined;
  }
  return out;
}

/** Every difference between the documented schema and zod's, as `where: key doc≠zod`. */
function compare(docFile: Json, documented: unknown, zodSchema: Json, where: string, out: string[]): void {
  const d = unwrap(docFile, documented);
  const zs = unwrap({}, zodSchema);
  const db = boundsOf(d);
  const zb = boundsOf(zs);
  for (const key of BOUNDS) {
    if (db[key] !== zb[key]) out.push(`${where}: ${key} openapi=${db[key]} zod=${zb[key]}`);
  }
  if (isObject(d.items) || isObject(zs.items)) {
    if (isObject(d.items) && isObject(zs.items)) compare(docFile, d.items, zs.items, `${where}[]`, out);
    else out.push(`${where}[]: items on one side only`);
  }
  const dp = isObject(d.properties) ? d.properties : {};
  const later = Object.entries(PARSED_LATER).filter(([at]) => at.startsWith(`${where}.`));
  const zp = {
    ...(isObject(zs.properties) ? zs.properties : {}),
    ...Object.fromEntries(later.map(([at, schema]) => [at.slice(where.length + 1), toJson(schema)])),
  };
  for (const name of new Set([...Object.keys(dp), ...Object.keys(zp)])) {
    const docProp = dp[name];
    const zodProp = zp[name];
    if (docProp === undefined) out.push(`${where}.${name}: in zod, not documented`);
    else if (!isObject(zodProp)) {
      if (!deref(docFile, docProp).readOnly) out.push(`${where}.${name}: documented, not in zod`);
    } else compare(docFile, docProp, zodProp, `${where}.${name}`, out);
  }
}

const toJson = (schema: unknown): Json =>
  z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Json;

interface RouteSchemas {
  params?: unknown;
  querystring?: unknown;
  body?: unknown;
}

let db: TestDatabase;
let app: FastifyInstance;
/** `METHOD /fastify/:url` → the schema objects of the route that answered. */
const registered = new Map<string, RouteSchemas>();

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    database: db.database,
    adminToken: ADMIN_TOKEN,
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    const schema = request.routeOptions.schema as RouteSchemas | undefined;
    registered.set(`${request.method} ${request.routeOptions.url}`, schema ?? {});
    return payload;
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

interface DocumentedOperation {
  file: (typeof CONTRACT_FILES)[number];
  method: string;
  path: string;
  node: Json;
  pathParameters: unknown[];
}

function documentedOperations(): DocumentedOperation[] {
  const out: DocumentedOperation[] = [];
  for (const file of CONTRACT_FILES) {
    const doc = contract.documents[file] as Json;
    for (const [path, rawItem] of Object.entries(doc.paths as Json)) {
      const item = deref(doc, rawItem);
      for (const method of ['get', 'post', 'patch', 'put', 'delete']) {
        const node = item[method];
        if (!isObject(node)) continue;
        out.push({
          file,
          method: method.toUpperCase(),
          path,
          node,
          pathParameters: Array.isArray(item.parameters) ? item.parameters : [],
        });
      }
    }
  }
  return out;
}

const OPERATIONS = documentedOperations();

describe('the zod route schemas hold the bounds of openapi/', () => {
  it('finds the routes of every documented operation', async () => {
    const missing: string[] = [];
    for (const op of OPERATIONS) {
      const url = op.path.replace(/\{[^}]+\}/g, 'x');
      await app.inject({ method: op.method as 'GET', url });
      const key = `${op.method} ${op.path.replace(/\{([^}]+)\}/g, ':$1')}`;
      if (!registered.has(key)) missing.push(key);
    }
    expect(missing).toEqual([]);
  });

  it('compares every documented parameter and JSON body with the route schema', () => {
    const problems: string[] = [];
    let compared = 0;
    for (const op of OPERATIONS) {
      const name = `${op.method} ${op.path}`;
      const doc = contract.documents[op.file] as Json;
      const schemas = registered.get(`${op.method} ${op.path.replace(/\{([^}]+)\}/g, ':$1')}`) ?? {};
      const parameters = [...op.pathParameters, ...((op.node.parameters as unknown[] | undefined) ?? [])]
        .map((p) => deref(doc, p))
        .filter((p) => p.in === 'path' || p.in === 'query');
      const body = deref(doc, deref(doc, op.node.requestBody).content);
      const json = isObject(body['application/json']) ? body['application/json'] : undefined;
      const hasInput = parameters.length > 0 || json !== undefined;
      if (!hasInput) continue;
      if (name in HAND_READ) continue;
      for (const location of ['path', 'query'] as const) {
        const documented = parameters.filter((p) => p.in === location);
        const zodSchema = location === 'path' ? schemas.params : schemas.querystring;
        if (documented.length === 0) continue;
        if (!zodSchema) {
          problems.push(`${name}: ${location} parameters documented, the route has no zod schema`);
          continue;
        }
        const asObject = {
          type: 'object',
          properties: Object.fromEntries(documented.map((p) => [p.name as string, p.schema])),
        };
        compare(doc, asObject, toJson(zodSchema), `${name} ${location}`, problems);
        compared++;
      }
      if (json) {
        if (!schemas.body) problems.push(`${name}: a JSON body documented, the route has no zod schema`);
        else {
          compare(doc, json.schema, toJson(schemas.body), `${name} body`, problems);
          compared++;
        }
      }
    }
    expect(problems.filter((p) => !(p in PENDING))).toEqual([]);
    expect(Object.keys(PENDING).filter((p) => !problems.includes(p))).toEqual([]);
    expect(compared).toBeGreaterThan(40);
  });

  it('names only documented operations as read by hand', () => {
    const names = new Set(OPERATIONS.map((op) => `${op.method} ${op.path}`));
    expect(Object.keys(HAND_READ).filter((n) => !names.has(n))).toEqual([]);
  });
});
