// The requests test/reliability/fuzz.test.ts sends: every operation of the three OpenAPI files,
// walked, and arbitraries of its parameters, headers and bodies — values drawn from its schemas
// (at and past every bound), nasty strings, and mutations of its documented examples — with the
// credentials its audience accepts, or none and garbage.
import fc from 'fast-check';
import { ADMIN_TOKEN, bearer, type PartnerFixture } from '../helpers/app.js';
import { CONTRACT_FILES, loadContract } from '../helpers/contract.js';

export type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const contract = loadContract();

/**
 * What the requests name, made by the test file before the run: its tokens, and the real ids of
 * its fixtures by parameter name (a generated request often names a thing that exists).
 */
export const fixtures = { known: {} } as {
  partner: PartnerFixture;
  userToken: string;
  appToken: string;
  known: Record<string, string[]>;
};

// ---------------------------------------------------------------- the contract, walked

export interface Operation {
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

export function operations(): Operation[] {
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

function typesOf(schema: Json): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  if (isObject(schema.properties)) return ['object'];
  return [];
}

/** An arbitrary of the values a schema documents, plus its edges (at and past each bound). */
function arbitraryOf(doc: Json, node: unknown, name = '', depth = 0): fc.Arbitrary<unknown> {
  const schema = deref(doc, node);
  const real = fixtures.known[name];
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

export interface Generated {
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

/** The credentials each audience accepts; the fuzz also sends none and garbage. */
function credentials(op: Operation): fc.Arbitrary<Record<string, string>> {
  if (op.path.startsWith('/admin/')) return fc.constant(bearer(ADMIN_TOKEN));
  if (op.path.startsWith('/v2/') && !op.path.endsWith('/authorize'))
    return fc.constantFrom(bearer(fixtures.userToken), bearer(fixtures.appToken));
  if (/^\/oauth\/(token|revoke|introspect)$/.test(op.path))
    return fc.constant({
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(fixtures.partner.clientId)}:${encodeURIComponent(fixtures.partner.clientSecret)}`).toString('base64')}`,
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

export function requestOf(op: Operation, authorized: boolean): fc.Arbitrary<Generated> {
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
      form.set('client_id', fixtures.partner.clientId);
      form.set('client_secret', fixtures.partner.clientSecret);
    }
    for (const [k, field] of Object.entries(fields)) {
      const text = typeof field === 'string' ? field : (JSON.stringify(field) ?? '');
      form.set(k, text.replace(/[\ud800-\udfff]/g, '?'));
    }
    return form.toString();
  });
}
