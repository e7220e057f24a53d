// Every route fuzzed from its contract (CONTRACT §4.1): each operation of the three OpenAPI files
// gets generated parameters, headers and bodies — values drawn from its schemas, and mutations of
// its documented examples (wrong types, missing and extra fields, huge and empty strings,
// unicode, numbers at and past the limits) — with valid credentials and without. Whatever
// arrives: no 5xx, every answer as documented (the helpers check each one against openapi/),
// every error in its family's shape, and a 4xx writes nothing (a row count per table, the event
// log included, before and after). Seeded: FUZZ_SEED replays a run, FUZZ_RUNS makes it longer.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { ERROR_CATALOGUE } from '../../src/errors.js';
import { ADMIN_TOKEN, bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { assertNoViolations, CONTRACT_FILES, loadContract } from '../helpers/contract.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
/** Generated requests per operation and credential kind. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
process.stdout.write(`fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays it), ${RUNS} runs per case\n`);

const ctx = useTestApp({
  env: { RATE_LIMIT_PER_HOUR: '100000000', RATE_LIMIT_IP_PER_HOUR: '100000000' },
});
const contract = loadContract();

/**
 * Tables a refused request may write to, each with the reason. Anything else changing on a 4xx
 * is a bug.
 */
const WRITTEN_ON_REFUSAL: Record<string, string> = {
  login_throttle: 'a failed consent sign-in is counted, so passwords cannot be guessed (CONTRACT §5)',
};

// ---------------------------------------------------------------- the contract, walked

interface Operation {
  file: (typeof CONTRACT_FILES)[number];
  method: string;
  path: string;
  doc: Json;
  parameters: Json[];
  body: { type: 'json' | 'form'; schema: Json; examples: unknown[] } | undefined;
}

function deref(doc: Json, node: unknown): Json {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${current.$ref}`);
    const [file, fragment = ''] = (current.$ref as string).split('#');
    const root = file ? (contract.documents[file as Operation['file']] as Json) : doc;
    current = fragment
      .split('/')
      .slice(1)
      .reduce<unknown>((acc, key) => (isObject(acc) ? acc[key.replace(/~1/g, '/')] : undefined), root);
  }
  return isObject(current) ? current : {};
}

function operations(): Operation[] {
  const out: Operation[] = [];
  for (const file of CONTRACT_FILES) {
    const doc = contract.documents[file] as Json;
    for (const [path, rawItem] of Object.entries(doc.paths as Json)) {
      const item = deref(doc, rawItem);
      for (const method of ['get', 'post', 'patch', 'put', 'delete']) {
        const op = item[method];
        if (!isObject(op)) continue;
        const parameters = [
          ...((item.parameters as unknown[]) ?? []),
          ...((op.parameters as unknown[]) ?? []),
        ].map((p) => deref(doc, p));
        const content = deref(doc, deref(doc, op.requestBody).content);
        const json = isObject(content['application/json']) ? content['application/json'] : undefined;
        const form = isObject(content['application/x-www-form-urlencoded'])
          ? content['application/x-www-form-urlencoded']
          : undefined;
        const media = json ?? form;
        const examples = media
          ? [
              ...(media.example !== undefined ? [media.example] : []),
              ...Object.values((media.examples as Json | undefined) ?? {}).map((e) => deref(doc, e).value),
            ].filter((e) => e !== undefined)
          : [];
        out.push({
          file,
          method: method.toUpperCase(),
          path,
          doc,
          parameters,
          body: media
            ? { type: json ? 'json' : 'form', schema: deref(doc, media.schema), examples }
            : undefined,
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- values from schemas

const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '😀'.repeat(30),
  '\u202etxt.exe',
  'ǅ̸̡͓̞̈́',
  "'; drop table partners; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '__proto__',
  'null',
  '-1',
  '1e309',
  'x'.repeat(20_000),
];
const nasty = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Real ids of the fixtures, by parameter name: a generated request often names a thing that exists. */
const known: Record<string, string[]> = {};

function typesOf(schema: Json): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  if (isObject(schema.properties)) return ['object'];
  return [];
}

/** An arbitrary of the values a schema documents, plus its edges (at and past each bound). */
function arbitraryOf(doc: Json, node: unknown, name = '', depth = 0): fc.Arbitrary<unknown> {
  const schema = deref(doc, node);
  const real = known[name];
  const options: fc.Arbitrary<unknown>[] = [];
  if (real && real.length > 0) options.push(fc.constantFrom(...real));
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key]))
      options.push(...(schema[key] as unknown[]).map((s) => arbitraryOf(doc, s, name, depth)));
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Json = { properties: {} };
    for (const s of schema.allOf as unknown[]) {
      const part = deref(doc, s);
      Object.assign(merged, part, {
        properties: { ...(merged.properties as Json), ...(part.properties as Json) },
      });
    }
    options.push(arbitraryOf(doc, merged, name, depth));
  }
  if (Array.isArray(schema.enum)) options.push(fc.constantFrom(...(schema.enum as unknown[])));
  if ('const' in schema) options.push(fc.constant(schema.const));
  if (options.length === 0 || real) {
    for (const type of typesOf(schema)) options.push(ofType(doc, schema, type, depth));
  }
  if (options.length === 0) options.push(anyJson);
  return fc.oneof(...options);
}

function ofType(doc: Json, schema: Json, type: string, depth: number): fc.Arbitrary<unknown> {
  const num = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = num('minimum') ?? -(2 ** 31);
      const max = num('maximum') ?? 2 ** 31 - 1;
      return fc.oneof(
        fc.integer({ min, max }),
        fc.constantFrom(min, max, min - 1, max + 1, 2 ** 53, -0, 0.5),
      );
    }
    case 'number':
      return fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, -1, 1e308));
    case 'string': {
      const maxLength = num('maxLength') ?? 200;
      const minLength = num('minLength') ?? 0;
      const edges = fc.constantFrom(
        'x'.repeat(maxLength),
        'x'.repeat(maxLength + 1),
        'x'.repeat(Math.max(0, minLength - 1)),
      );
      let shaped: fc.Arbitrary<string>;
      if (schema.format === 'date-time')
        shaped = fc
          .date({
            min: new Date('1970-01-01T00:00:00Z'),
            max: new Date('2100-01-01T00:00:00Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
      else if (schema.format === 'uuid') shaped = fc.uuid();
      else if (schema.format === 'email') shaped = fc.emailAddress();
      else if (schema.format === 'uri') shaped = fc.webUrl();
      else if (typeof schema.pattern === 'string') shaped = fc.stringMatching(new RegExp(schema.pattern));
      else shaped = fc.string({ minLength, maxLength: Math.max(minLength, Math.min(maxLength, 40)) });
      return fc.oneof(
        { weight: 4, arbitrary: shaped },
        { weight: 1, arbitrary: edges },
        { weight: 1, arbitrary: nasty },
      );
    }
    case 'array': {
      const items =
        isObject(schema.items) || isObject(deref(doc, schema.items))
          ? arbitraryOf(doc, schema.items, '', depth + 1)
          : anyJson;
      const maxItems = num('maxItems') ?? 5;
      return fc.oneof(
        {
          weight: 4,
          arbitrary: fc.array(items, { minLength: num('minItems') ?? 0, maxLength: Math.min(maxItems, 4) }),
        },
        // One past the bound: the same item repeated, so a 10,000-item bound stays cheap to build.
        { weight: 1, arbitrary: items.map((item) => Array.from({ length: maxItems + 1 }, () => item)) },
      );
    }
    case 'object': {
      if (depth > 4) return fc.constant({});
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const record = fc.record(
        Object.fromEntries(
          Object.entries(properties).map(([k, v]) => [k, arbitraryOf(doc, v, k, depth + 1)]),
        ),
        { requiredKeys: required.filter((k) => k in properties) },
      );
      return fc.oneof(
        { weight: 5, arbitrary: record },
        {
          weight: 1,
          arbitrary: fc
            .tuple(record, fc.string({ maxLength: 12 }), anyJson)
            .map(([r, k, v]) => ({ ...r, [k]: v })),
        },
      );
    }
    default:
      return anyJson;
  }
}

/** One mutation of a documented example: what a careless or hostile client would send instead. */
function mutationOf(example: unknown): fc.Arbitrary<unknown> {
  if (!isObject(example)) return fc.oneof(anyJson, fc.constant(example));
  const keys = Object.keys(example);
  const key = keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('x');
  const wrong = fc.oneof(
    anyJson,
    fc.constantFrom(
      '',
      'x'.repeat(20_000),
      '😀'.repeat(500),
      '\u0000',
      -1,
      0,
      2 ** 31,
      2 ** 53,
      1e308,
      -1e308,
      [],
      {},
      null,
      true,
    ),
  );
  return fc.oneof(
    fc.constant(example),
    key.map((k) => {
      const { [k]: _dropped, ...rest } = example;
      return rest;
    }),
    fc.tuple(key, wrong).map(([k, v]) => ({ ...example, [k]: v })),
    fc.tuple(fc.string({ maxLength: 20 }), anyJson).map(([k, v]) => ({ ...example, [k]: v })),
    fc.constantFrom<unknown>([example], null, 'example', 42, JSON.stringify(example)),
  );
}

// ---------------------------------------------------------------- requests

interface Generated {
  path: string;
  query: string;
  headers: Record<string, string>;
  payload: string | undefined;
}

const encode = (value: unknown): string => {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};

const encodeSegment = (value: unknown) => {
  const text = encode(value);
  return text === '' ? 'x' : text.slice(0, 600);
};

let partner: PartnerFixture;
let userToken: string;
let appToken: string;

/** The credentials each audience accepts; the fuzz also sends none and garbage. */
function credentials(op: Operation): fc.Arbitrary<Record<string, string>> {
  if (op.path.startsWith('/admin/')) return fc.constant(bearer(ADMIN_TOKEN));
  if (op.path.startsWith('/v2/') && !op.path.endsWith('/authorize'))
    return fc.constantFrom(bearer(userToken), bearer(appToken));
  if (/^\/oauth\/(token|revoke|introspect)$/.test(op.path))
    return fc.constant({
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(partner.clientId)}:${encodeURIComponent(partner.clientSecret)}`).toString('base64')}`,
    });
  return fc.constant({});
}

const noCredentials = fc.constantFrom<Record<string, string>>(
  {},
  { authorization: 'Bearer nope' },
  { authorization: 'Basic !!!' },
  { authorization: `Bearer ${'a'.repeat(5000)}` },
  { authorization: bearer(ADMIN_TOKEN).authorization.slice(0, -1) },
);

function requestOf(op: Operation, authorized: boolean): fc.Arbitrary<Generated> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');
  const segment = (p: Json) =>
    fc
      .oneof(
        { weight: 3, arbitrary: arbitraryOf(op.doc, p.schema, p.name as string) },
        { weight: 1, arbitrary: nasty },
      )
      .map(encodeSegment);
  const path = fc
    .tuple(...pathParams.map(segment))
    .map((values) =>
      values.reduce<string>((acc, v, i) => acc.replace(`{${pathParams[i]?.name}}`, v), op.path),
    );
  const query = fc
    .tuple(
      fc.tuple(
        ...queryParams.map((p) =>
          fc.option(
            arbitraryOf(op.doc, p.schema, p.name as string).map((v) => `${encode(p.name)}=${encode(v)}`),
            { nil: undefined },
          ),
        ),
      ),
      fc.array(fc.tuple(fc.string({ maxLength: 10 }), nasty), { maxLength: 2 }),
    )
    .map(([documented, extra]) =>
      [
        ...documented.filter((q) => q !== undefined),
        ...extra.map(([k, v]) => `${encode(k)}=${encode(v)}`),
      ].join('&'),
    );
  const headers = fc
    .tuple(
      authorized ? credentials(op) : noCredentials,
      fc.tuple(
        ...headerParams.map((p) =>
          fc.option(
            arbitraryOf(op.doc, p.schema, p.name as string).map((v) => {
              const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
              // Node refuses to send a header value with control or non-Latin-1 characters.
              return [
                String(p.name).toLowerCase(),
                text.replace(/[^\x20-\x7e]/g, '?').slice(0, 8000),
              ] as const;
            }),
            { nil: undefined },
          ),
        ),
      ),
    )
    .map(([auth, extra]) => ({ ...auth, ...Object.fromEntries(extra.filter((h) => h !== undefined)) }));
  const payload = bodyOf(op);
  return fc.record({ path, query, headers, payload });
}

function bodyOf(op: Operation): fc.Arbitrary<string | undefined> {
  const body = op.body;
  if (!body) return fc.option(fc.constantFrom('{}', 'x', '{"a":1}'), { nil: undefined, freq: 4 });
  const generated = arbitraryOf(op.doc, body.schema);
  const mutated = body.examples.length > 0 ? fc.constantFrom(...body.examples).chain(mutationOf) : generated;
  const value = fc.oneof(generated, mutated);
  if (body.type === 'json') {
    return fc.oneof(
      { weight: 8, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
      {
        weight: 1,
        arbitrary: fc.constantFrom('', '{', '[]', 'null', '{"__proto__":{"x":1}}', '['.repeat(3000)),
      },
    );
  }
  // A form: documented fields (and the partner's client credentials, sometimes) as strings.
  return fc.tuple(value, fc.boolean()).map(([v, withClient]) => {
    const fields = isObject(v) ? v : { value: v };
    const form = new URLSearchParams();
    if (withClient) {
      form.set('client_id', partner.clientId);
      form.set('client_secret', partner.clientSecret);
    }
    for (const [k, field] of Object.entries(fields)) {
      const text = typeof field === 'string' ? field : (JSON.stringify(field) ?? '');
      form.set(k, text.replace(/[\ud800-\udfff]/g, '?'));
    }
    return form.toString();
  });
}

// ---------------------------------------------------------------- what must hold

let tables: string[] = [];

async function rowCounts(): Promise<Record<string, number>> {
  const selects = tables.map((t) => `(select count(*)::int from "${t}") as "${t}"`).join(', ');
  const [row] = await queryRows<Record<string, number>>(ctx.app.db, sql.raw(`select ${selects}`));
  return row ?? {};
}

const OAUTH_FORM = /^\/oauth\/(token|revoke|introspect)$/;

function assertErrorShape(op: Operation, status: number, contentType: string, body: string): void {
  if (!contentType.startsWith('application/json')) return;
  const data = JSON.parse(body) as Json;
  if (OAUTH_FORM.test(op.path) && 'error' in data) {
    // RFC 6749 §5.2: the OAuth endpoints' own errors.
    expect(typeof data.error).toBe('string');
    return;
  }
  const errors = data.errors as Json[];
  expect(Array.isArray(errors) && errors.length > 0, body).toBe(true);
  for (const error of errors) {
    expect(error.status).toBe(String(status));
    expect(Object.keys(ERROR_CATALOGUE)).toContain(error.code);
  }
}

const tally = { requests: 0, refused: 0, accepted: 0 };

async function check(op: Operation, request: Generated): Promise<void> {
  const before = await rowCounts();
  const res = await ctx.app.inject({
    method: op.method as 'GET',
    url: `${request.path}${request.query ? `?${request.query}` : ''}`,
    headers: {
      ...request.headers,
      ...(request.payload !== undefined
        ? {
            'content-type':
              op.body?.type === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
          }
        : {}),
    },
    payload: request.payload,
  });
  tally.requests++;
  const where = `${op.method} ${request.path}${request.query ? `?${request.query.slice(0, 200)}` : ''} → ${res.statusCode}: ${res.body.slice(0, 300)}`;
  expect(res.statusCode, where).toBeLessThan(500);
  assertNoViolations(ctx.violations.splice(0));
  if (res.statusCode >= 400) {
    tally.refused++;
    assertErrorShape(op, res.statusCode, String(res.headers['content-type'] ?? ''), res.body);
    const after = await rowCounts();
    const changed = tables.filter((t) => before[t] !== after[t] && !(t in WRITTEN_ON_REFUSAL));
    expect(
      changed,
      `${where}\nrows changed: ${changed.map((t) => `${t} ${before[t]}→${after[t]}`).join(', ')}`,
    ).toEqual([]);
  } else tally.accepted++;
}

// ---------------------------------------------------------------- the run

const OPERATIONS = operations();

beforeAll(async () => {
  tables = (
    await queryRows<{ name: string }>(
      ctx.app.db,
      sql`select tablename as name from pg_tables where schemaname = current_schema() and tablename not like '\_\_%' order by 1`,
    )
  ).map((r) => r.name);
  partner = await ctx.fixtures.partner({ sandbox: true });
  const account = await ctx.fixtures.account();
  userToken = await ctx.fixtures.userToken(partner.id, account.id);
  appToken = await ctx.fixtures.appToken(partner.id);
  const promotionId = await ctx.fixtures.promotion(partner.id);
  const enrolled = await ctx.app.inject({
    method: 'POST',
    url: '/v2/promotions',
    headers: { ...bearer(userToken), 'content-type': 'application/json' },
    payload: JSON.stringify({ promotion_id: promotionId }),
  });
  const clock = await ctx.app.inject({
    method: 'POST',
    url: '/v2/test_helpers/test_clocks',
    headers: { ...bearer(appToken), 'content-type': 'application/json' },
    payload: JSON.stringify({ frozen_time: '2026-05-01T00:00:00Z', name: 'fuzz' }),
  });
  const operator = await ctx.admin({
    method: 'POST',
    url: '/admin/v1/operators',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({
      email: 'fuzz-operator@example.com',
      password: 'a long enough password',
      role: 'viewer',
    }),
  });
  expect([enrolled.statusCode, clock.statusCode, operator.statusCode]).toEqual([201, 201, 201]);
  assertNoViolations(ctx.violations.splice(0));
  Object.assign(known, {
    enrollment_id: [enrolled.json().enrollment_id],
    promotion_id: [promotionId],
    id: [promotionId],
    partner_id: [partner.id],
    account_id: [account.id],
    client_id: [partner.clientId],
    test_clock_id: [clock.json().id],
    operator_id: [operator.json().id],
  });
});

describe('every operation of openapi/, fuzzed', () => {
  it('walks every operation of the three files', () => {
    expect(OPERATIONS.length).toBeGreaterThan(60);
    expect(new Set(OPERATIONS.map((op) => op.file))).toEqual(new Set(CONTRACT_FILES));
  });

  describe.each([
    ['with valid credentials', true],
    ['without credentials', false],
  ] as const)('%s', (_label, authorized) => {
    it.each(OPERATIONS.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', async (_name, op) => {
      await fc.assert(
        fc.asyncProperty(requestOf(op, authorized), (request) => check(op, request)),
        { seed: SEED, numRuns: RUNS },
      );
    });
  });

  it('answered many of them: refused and accepted both', () => {
    process.stdout.write(
      `fuzz: ${tally.requests} requests (${tally.refused} refused, ${tally.accepted} accepted), 0 × 5xx, seed ${SEED}\n`,
    );
    expect(tally.refused).toBeGreaterThan(0);
    expect(tally.accepted).toBeGreaterThan(0);
  });
});
