import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, useTestApp } from '../helpers/app.js';
import { loadContract } from '../helpers/contract.js';

// Negative cases generated from the OpenAPI files: for every documented JSON request body,
// drop each required property and give each property a value of the wrong type, starting
// from the file's own example. Each must answer 400 invalid_request naming that property.
type Json = Record<string, unknown>;
const contract = loadContract();
const ctx = useTestApp();
let userToken: string;
/** The webhook endpoints need an app token (CONTRACT §8). */
let appToken: string;
/** The test helpers (CONTRACT §9) take a sandbox partner's app token. */
let sandboxAppToken: string;

function resolve(doc: Json, node: unknown): Json {
  let current = node as Json;
  while (current && typeof current.$ref === 'string') {
    const path = (current.$ref as string).replace(/^#\//, '').split('/');
    current = path.reduce<Json>((acc, key) => acc[key] as Json, doc);
  }
  return current;
}

interface Case {
  name: string;
  method: string;
  url: string;
  body: Json;
  pointer: string;
}

const WRONG: Record<string, unknown> = {
  string: 12345,
  integer: 'not-a-number',
  number: 'nan',
  boolean: 'yes',
  array: 'x',
  object: 'x',
};

function cases(): Case[] {
  const out: Case[] = [];
  for (const file of ['promotions.yaml', 'admin.yaml'] as const) {
    const doc = contract.documents[file] as Json;
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      for (const [method, op] of Object.entries(item as Json)) {
        const content = (resolve(doc, (op as Json).requestBody)?.content as Json | undefined)?.[
          'application/json'
        ] as Json | undefined;
        if (!content) continue;
        const schema = resolve(doc, content.schema);
        const examples = Object.values((content.examples as Json | undefined) ?? {}).map(
          (e) => resolve(doc, e).value as Json,
        );
        const base = (content.example as Json | undefined) ?? examples[0];
        if (!base)
          throw new Error(`${method.toUpperCase()} ${path} documents no request example to start from`);
        const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const properties = (schema.properties ?? {}) as Json;
        for (const required of (schema.required ?? []) as string[]) {
          const { [required]: _dropped, ...body } = base;
          out.push({
            name: `${method.toUpperCase()} ${path} without ${required}`,
            method,
            url,
            body,
            pointer: `/${required}`,
          });
        }
        for (const [name, prop] of Object.entries(properties)) {
          const p = resolve(doc, prop);
          const types = (Array.isArray(p.type) ? p.type : [p.type]).filter(
            (t) => t && t !== 'null',
          ) as string[];
          const type = types[0];
          if (!type || types.length > 1 || (p.readOnly as boolean)) continue;
          out.push({
            name: `${method.toUpperCase()} ${path} with ${name} of the wrong type`,
            method,
            url,
            body: { ...base, [name]: WRONG[type] },
            pointer: `/${name}`,
          });
        }
      }
    }
  }
  return out;
}

const ALL = cases();

beforeAll(async () => {
  const partner = await ctx.fixtures.partner();
  const account = await ctx.fixtures.account();
  userToken = await ctx.fixtures.userToken(partner.id, account.id);
  appToken = await ctx.fixtures.appToken(partner.id);
  sandboxAppToken = await ctx.fixtures.appToken((await ctx.fixtures.partner({ sandbox: true })).id);
});

describe('negative cases generated from openapi/', () => {
  it('generates cases for every documented JSON body', () => {
    expect(ALL.length).toBeGreaterThan(20);
  });

  it.each(ALL.map((c) => [c.name, c] as const))('%s → 400 naming it', async (_name, c) => {
    const res = await ctx.app.inject({
      method: c.method.toUpperCase() as 'POST',
      url: c.url,
      headers: c.url.startsWith('/admin')
        ? bearer(ADMIN_TOKEN)
        : bearer(
            c.url.startsWith('/v2/webhook_endpoints')
              ? appToken
              : c.url.startsWith('/v2/test_helpers')
                ? sandboxAppToken
                : userToken,
          ),
      payload: c.body,
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ code: 'invalid_request', source: { pointer: c.pointer } });
  });
});
