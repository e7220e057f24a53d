import { describe, expect, it } from 'vitest';
import { CONTRACT_FILES, type ContractFile, loadContract } from './helpers/contract';

// The files of openapi/ themselves: structurally valid OpenAPI 3.1, and faithful where the
// contract says so (the checker made from them: contract-checker.test.ts).

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const contract = loadContract();
const docs = contract.documents;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves a `$ref` as written in `file`; throws when it does not resolve. */
function resolveRef(file: ContractFile, ref: string): { file: ContractFile; node: unknown } {
  const [target, fragment = ''] = ref.split('#');
  const targetFile = (target ? target : file) as ContractFile;
  if (!(CONTRACT_FILES as readonly string[]).includes(targetFile))
    throw new Error(`${file}: ${ref}: unknown file`);
  let node: unknown = docs[targetFile];
  for (const token of fragment.split('/').slice(1)) {
    const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
    if (node === undefined) throw new Error(`${file}: $ref ${ref} does not resolve`);
  }
  return { file: targetFile, node };
}

function deref(file: ContractFile, node: unknown): unknown {
  let current = node;
  let currentFile = file;
  while (isObject(current) && typeof current.$ref === 'string') {
    ({ file: currentFile, node: current } = resolveRef(currentFile, current.$ref));
  }
  return current;
}

/** Visits every node with its JSON pointer. */
function walk(node: unknown, visit: (node: unknown, pointer: string) => void, pointer = ''): void {
  visit(node, pointer);
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) walk(item, visit, `${pointer}/${i}`);
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      walk(value, visit, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  }
}

interface Op {
  file: ContractFile;
  path: string;
  method: string;
  node: Json;
  pathItem: Json;
}

function operationsOf(file: ContractFile): Op[] {
  const paths = docs[file].paths;
  if (!isObject(paths)) return [];
  return Object.entries(paths).flatMap(([path, item]) => {
    const pathItem = deref(file, item);
    if (!isObject(pathItem)) return [];
    return METHODS.flatMap((method) => {
      const node = pathItem[method];
      return isObject(node) ? [{ file, path, method, node, pathItem }] : [];
    });
  });
}

const allOperations = CONTRACT_FILES.flatMap(operationsOf);

function responsesOf(op: Op): Record<string, Json> {
  const responses = deref(op.file, op.node.responses);
  if (!isObject(responses)) throw new Error(`${op.file} ${op.method} ${op.path}: no responses`);
  const out: Record<string, Json> = {};
  for (const [status, response] of Object.entries(responses)) {
    const resolved = deref(op.file, response);
    if (!isObject(resolved)) throw new Error(`${op.file} ${op.method} ${op.path} ${status}: not an object`);
    out[status] = resolved;
  }
  return out;
}

function headerNames(response: Json): string[] {
  return isObject(response.headers) ? Object.keys(response.headers) : [];
}

describe.each(CONTRACT_FILES)('openapi/%s', (file) => {
  const doc = docs[file];

  it('is an OpenAPI 3.1 document with info, paths and components', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(
      isObject(doc.info) && typeof doc.info.title === 'string' && typeof doc.info.version === 'string',
    ).toBe(true);
    expect(isObject(doc.paths)).toBe(true);
    expect(isObject(doc.components)).toBe(true);
    for (const path of Object.keys(doc.paths as Json)) expect(path).toMatch(/^\//);
  });

  it('has every $ref resolving', () => {
    const broken: string[] = [];
    walk(doc, (node, pointer) => {
      if (isObject(node) && typeof node.$ref === 'string') {
        try {
          resolveRef(file, node.$ref);
        } catch {
          broken.push(`${pointer}: ${node.$ref}`);
        }
      }
    });
    expect(broken).toEqual([]);
  });

  it('declares every path template parameter as a required path parameter', () => {
    for (const op of operationsOf(file)) {
      const declared = [
        ...(Array.isArray(op.pathItem.parameters) ? op.pathItem.parameters : []),
        ...(Array.isArray(op.node.parameters) ? op.node.parameters : []),
      ]
        .map((p) => deref(file, p))
        .filter((p): p is Json => isObject(p) && p.in === 'path');
      const inTemplate = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      expect(declared.map((p) => p.name).sort(), `${op.method} ${op.path}`).toEqual(inTemplate.sort());
      for (const p of declared) expect(p.required, `${op.method} ${op.path} ${String(p.name)}`).toBe(true);
    }
  });

  it('gives every operation a 2xx or 3xx response and only valid status keys', () => {
    for (const op of operationsOf(file)) {
      const statuses = Object.keys(responsesOf(op));
      for (const status of statuses) expect(status, `${op.method} ${op.path}`).toMatch(/^[1-5](\d\d|XX)$/);
      expect(
        statuses.some((s) => /^[23]/.test(s)),
        `${op.method} ${op.path} has no success response`,
      ).toBe(true);
      for (const response of Object.values(responsesOf(op)))
        expect(typeof response.description).toBe('string');
    }
  });

  it('compiles every component schema, and every media-type example is valid against its schema', () => {
    const schemas =
      isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
    for (const name of Object.keys(schemas)) {
      expect(() => contract.validate(`${file}#/components/schemas/${name}`, null)).not.toThrow();
    }
    let checked = 0;
    walk(doc, (node, pointer) => {
      if (!/\/content\/[^/]+$/.test(pointer) || !isObject(node) || !isObject(node.schema)) return;
      const examples = isObject(node.examples) ? node.examples : {};
      for (const [name, example] of Object.entries(examples)) {
        const resolved = deref(file, example);
        if (!isObject(resolved) || !('value' in resolved)) continue;
        expect(
          contract.validate(`${file}#${pointer}/schema`, resolved.value),
          `${pointer} example ${name}`,
        ).toEqual([]);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(0);
  });
});

describe('the three files together', () => {
  it('give every operation an operationId unique across files', () => {
    const ids = allOperations.map((op) => op.node.operationId);
    for (const [i, id] of ids.entries()) {
      const op = allOperations[i];
      expect(typeof id, `${op?.file} ${op?.method} ${op?.path}`).toBe('string');
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(contract.operations()).toHaveLength(ids.length);
  });

  it('never document the same path and method twice', () => {
    const keys = allOperations.map((op) => `${op.method} ${op.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('openapi/promotions.yaml stays faithful to Zapier', () => {
  const doc = docs['promotions.yaml'];
  const ops = operationsOf('promotions.yaml');
  const op = (method: string, path: string) => {
    const found = ops.find((o) => o.method === method && o.path === path);
    if (!found) throw new Error(`${method} ${path} missing`);
    return found;
  };

  it('keeps the title, servers, paths, operationIds and schema names', () => {
    expect((doc.info as Json).title).toBe('Powered by Zapier Promotions API');
    expect((doc.servers as Json[]).map((s) => s.url)).toEqual([
      'https://api.zapier.com',
      'http://127.0.0.1:3000',
    ]);
    expect(op('post', '/v2/promotions').node.operationId).toBe('root_create');
    expect(op('get', '/v2/promotions/{enrollment_id}').node.operationId).toBe('root_retrieve');
    expect(op('delete', '/v2/promotions/{enrollment_id}').node.operationId).toBe('root_destroy');
    const schemas = Object.keys((doc.components as Json).schemas as Json);
    expect(schemas).toEqual(
      expect.arrayContaining([
        'PromotionEnrollment',
        'PromotionEnrollmentResponse',
        'PromotionDetail',
        'PromotionErrorResponse',
        'PromotionError',
      ]),
    );
  });

  it('documents exactly the statuses of CONTRACT §4', () => {
    const statuses = (method: string, path: string) => Object.keys(responsesOf(op(method, path)));
    expect(statuses('post', '/v2/promotions')).toEqual([
      '201',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '422',
      '429',
      '500',
      '503',
    ]);
    expect(statuses('get', '/v2/promotions/{enrollment_id}')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '413',
      '415',
      '429',
      '500',
      '503',
    ]);
    expect(statuses('delete', '/v2/promotions/{enrollment_id}')).toEqual([
      '204',
      '400',
      '401',
      '403',
      '404',
      '413',
      '415',
      '429',
      '500',
      '503',
    ]);
  });

  it('types the rate-limit headers as integers and attaches them to every response', () => {
    const headers = (doc.components as Json).headers as Json;
    for (const name of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After']) {
      expect(((headers[name] as Json).schema as Json).type, name).toBe('integer');
    }
    for (const o of ops) {
      for (const [status, response] of Object.entries(responsesOf(o))) {
        const names = headerNames(response);
        const where = `${o.method} ${o.path} ${status}`;
        expect(names, where).toEqual(
          expect.arrayContaining(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']),
        );
        expect(names.includes('Retry-After'), where).toBe(status === '429' || status === '503');
        if (status === '401' || status === '403') expect(names, where).toContain('WWW-Authenticate');
      }
    }
    expect(headerNames(responsesOf(op('post', '/v2/promotions'))['201'] ?? {})).toContain('Location');
  });

  it('has an example for each 409 code of POST', () => {
    const response = responsesOf(op('post', '/v2/promotions'))['409'] as Json;
    const examples = ((response.content as Json)['application/json'] as Json).examples as Json;
    const codes = Object.values(examples).map((e) => (((e as Json).value as Json).errors as Json[])[0]?.code);
    // already_enrolled twice: a live enrollment, and a re-enrollment the promotion forbids.
    expect(codes.sort()).toEqual([
      'already_enrolled',
      'already_enrolled',
      'idempotency_key_in_use',
      'promotion_full',
      'promotion_not_active',
    ]);
  });
});
