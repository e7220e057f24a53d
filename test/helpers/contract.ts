// The contract checker: validates real responses against the hand-kept OpenAPI files in
// `openapi/`, so drift between the server and its documentation fails the build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../src/paths.js';

export const OPENAPI_DIR = join(PROJECT_ROOT, 'openapi');
export const CONTRACT_FILES = ['promotions.yaml', 'oauth.yaml', 'admin.yaml'] as const;
export type ContractFile = (typeof CONTRACT_FILES)[number];

/** Paths under these prefixes must be documented; any other undocumented path is ignored. */
const CHECKED_PREFIXES = ['/v2/', '/admin/', '/oauth/', '/.well-known/'];
const CHECKED_EXACT = ['/healthz', '/readyz'];
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Every file is added to ajv under this base, so `$ref`s resolve across the three files. */
const SCHEMA_BASE = 'https://contract.invalid/openapi/';
/** The envelope an unknown route answers with (CONTRACT §4: 404 `not_found`). */
const ENVELOPE_REF = 'promotions.yaml#/components/schemas/PromotionErrorResponse';

export interface ContractViolation {
  method: string;
  url: string;
  status: number;
  problem: string;
}

export interface ContractOperation {
  file: ContractFile;
  path: string;
  method: string;
  operationId: string;
  statuses: string[];
}

export interface Contract {
  /** Checks one response; an empty array means it keeps the contract. */
  check(
    method: string,
    url: string,
    status: number,
    contentType: string | undefined,
    body: string | null,
  ): ContractViolation[];
  /** Validates a value against the schema at `file#/json/pointer`; returns the problems. */
  validate(ref: string, value: unknown): string[];
  /** Every documented operation, e.g. to report which ones a suite never exercised. */
  operations(): ContractOperation[];
  /** The three files as parsed, untouched. */
  readonly documents: Readonly<Record<ContractFile, Record<string, unknown>>>;
}

type Json = Record<string, unknown>;

interface Operation {
  file: ContractFile;
  path: string;
  method: string;
  operationId: string;
  node: Json;
}

interface Route {
  path: string;
  /** One matcher per path segment; a `{param}` matches any one (decoded) segment. */
  segments: RegExp[];
  params: number;
  operations: Map<string, Operation>;
}

let cached: Contract | undefined;

/** Loads, merges and compiles the three OpenAPI files, once per process. */
export function loadContract(): Contract {
  cached ??= buildContract();
  return cached;
}

export function assertNoViolations(violations: ContractViolation[]): void {
  if (violations.length === 0) return;
  const lines = violations.map((v) => `  - ${v.method} ${v.url} → ${v.status}: ${v.problem}`);
  throw new Error(`${violations.length} contract violation(s):\n${lines.join('\n')}`);
}

function buildContract(): Contract {
  const documents = {} as Record<ContractFile, Json>;
  const resolved = {} as Record<ContractFile, Json>;
  for (const file of CONTRACT_FILES) {
    const doc = parse(readFileSync(join(OPENAPI_DIR, file), 'utf8')) as unknown;
    if (!isObject(doc)) throw new Error(`openapi/${file} is not a YAML mapping`);
    documents[file] = doc;
    resolved[file] = absolutizeRefs(doc, file) as Json;
  }

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const file of CONTRACT_FILES) {
    // Not a JSON Schema as a whole; ajv only needs it as a target for `$ref` pointers.
    ajv.addSchema(resolved[file], SCHEMA_BASE + file, undefined, false);
  }
  const validators = new WeakMap<object, ValidateFunction>();
  const compile = (schema: Json): ValidateFunction => {
    let fn = validators.get(schema);
    if (!fn) {
      fn = ajv.compile(schema);
      validators.set(schema, fn);
    }
    return fn;
  };

  /** Follows `$ref`s (already absolute) until a node that is not a reference. */
  const deref = (node: unknown): unknown => {
    let current = node;
    for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
      if (hops > 32) throw new Error(`$ref cycle at ${current.$ref}`);
      current = lookup(resolved, current.$ref);
    }
    return current;
  };

  const routes = collectRoutes(resolved, deref);

  const validate = (ref: string, value: unknown): string[] => {
    const schema = lookup(resolved, ref.startsWith(SCHEMA_BASE) ? ref : SCHEMA_BASE + ref);
    if (!isObject(schema) && typeof schema !== 'boolean') throw new Error(`no schema at ${ref}`);
    if (typeof schema === 'boolean') return schema ? [] : ['the schema is false'];
    const fn = compile(schema);
    return fn(value) ? [] : (fn.errors ?? []).map(formatAjvError);
  };

  const check = (
    method: string,
    url: string,
    status: number,
    contentType: string | undefined,
    /** null: a streamed body, which the check does not read (its type and status are still checked). */
    body: string | null,
  ): ContractViolation[] => {
    const verb = method.toUpperCase();
    const violation = (problem: string): ContractViolation => ({ method: verb, url, status, problem });
    const path = pathOf(url);
    const route = matchRoute(routes, path);
    const operation = route?.operations.get(verb === 'HEAD' ? 'get' : verb.toLowerCase());
    const hasBody = verb !== 'HEAD' && (body === null || body.length > 0);

    if (!operation) {
      if (!isChecked(path)) return [];
      // What the server answers for an unknown route (or a known path with an unknown
      // method) is documented by CONTRACT §4: 404 in the error envelope.
      if (status === 404 || status === 405) {
        if (!hasBody) return [];
        if (body === null) return [];
        return checkJsonBody(contentType, body, status, (data) => validate(ENVELOPE_REF, data)).map((p) =>
          violation(`answer to an undocumented route: ${p}`),
        );
      }
      const known = route ? ` (documented: ${[...route.operations.keys()].join(', ').toUpperCase()})` : '';
      return [violation(`${verb} ${route?.path ?? path} is not documented${known}`)];
    }

    const where = `${operation.operationId} (${operation.file})`;
    const responses = deref(operation.node.responses);
    const statusKey = String(status);
    const response = isObject(responses)
      ? deref(responses[statusKey] ?? responses[`${statusKey[0]}XX`] ?? responses[`${statusKey[0]}xx`])
      : undefined;
    if (!isObject(response)) {
      const documented = isObject(responses) ? Object.keys(responses).join(', ') : 'none';
      return [violation(`status ${status} is not documented for ${where}; documented: ${documented}`)];
    }

    const content = isObject(response.content) ? response.content : {};
    const mediaTypes = Object.keys(content);
    if (verb === 'HEAD') return [];
    if (mediaTypes.length === 0) {
      return hasBody
        ? [
            violation(
              `${where} documents ${status} without a body, but the response has ${body === null ? 'a streamed body' : `${body.length} chars`}`,
            ),
          ]
        : [];
    }
    if (!hasBody) {
      return [
        violation(`${where} documents ${status} with a ${mediaTypes.join(' or ')} body, but it is empty`),
      ];
    }
    const actual = contentType?.split(';')[0]?.trim().toLowerCase();
    if (!actual) return [violation(`the response has a body but no Content-Type`)];
    const mediaType = mediaTypes.find((t) => mediaTypeMatches(t.toLowerCase(), actual));
    if (mediaType === undefined) {
      return [
        violation(
          `Content-Type ${actual} is not documented for ${status} of ${where}; documented: ${mediaTypes.join(', ')}`,
        ),
      ];
    }
    if (!isJsonMediaType(mediaType) || body === null) return [];

    const media = content[mediaType];
    const schema = isObject(media) ? media.schema : undefined;
    const validateBody = (data: unknown): string[] => {
      if (!isObject(schema)) return [];
      const fn = compile(schema);
      return fn(data) ? [] : (fn.errors ?? []).map(formatAjvError);
    };
    return checkJsonBody(contentType, body, status, validateBody).map((p) => violation(`${where}: ${p}`));
  };

  /** Parses a JSON body, validates it, and checks an error envelope's `status` strings. */
  function checkJsonBody(
    contentType: string | undefined,
    body: string,
    status: number,
    validateBody: (data: unknown) => string[],
  ): string[] {
    const actual = contentType?.split(';')[0]?.trim().toLowerCase();
    if (!actual || !isJsonMediaType(actual))
      return [`expected a JSON body, got Content-Type ${actual ?? 'none'}`];
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      return [`the body is not valid JSON: ${body.length > 200 ? `${body.slice(0, 200)}…` : body}`];
    }
    const problems = validateBody(data);
    // The envelope's `status` is the HTTP status as a string (zapier-facts, CONTRACT §4).
    if (isObject(data) && Array.isArray(data.errors)) {
      data.errors.forEach((error: unknown, i) => {
        if (isObject(error) && typeof error.status === 'string' && error.status !== String(status)) {
          problems.push(`body/errors/${i}/status is "${error.status}" but the response status is ${status}`);
        }
      });
    }
    return problems;
  }

  const operations = (): ContractOperation[] =>
    routes.flatMap((route) =>
      [...route.operations.values()].map((op) => {
        const responses = deref(op.node.responses);
        return {
          file: op.file,
          path: op.path,
          method: op.method.toUpperCase(),
          operationId: op.operationId,
          statuses: isObject(responses) ? Object.keys(responses) : [],
        };
      }),
    );

  return { check, validate, operations, documents };
}

function collectRoutes(resolved: Record<ContractFile, Json>, deref: (node: unknown) => unknown): Route[] {
  const byPath = new Map<string, Route>();
  for (const file of CONTRACT_FILES) {
    const paths = resolved[file].paths;
    if (!isObject(paths)) continue;
    for (const [path, rawItem] of Object.entries(paths)) {
      const item = deref(rawItem);
      if (!isObject(item)) continue;
      let route = byPath.get(path);
      if (!route) {
        const templates = path.split('/');
        route = {
          path,
          segments: templates.map(segmentMatcher),
          params: templates.filter((s) => s.includes('{')).length,
          operations: new Map(),
        };
        byPath.set(path, route);
      }
      for (const method of HTTP_METHODS) {
        const node = item[method];
        if (!isObject(node)) continue;
        const operationId = typeof node.operationId === 'string' ? node.operationId : `${method} ${path}`;
        route.operations.set(method, { file, path, method, operationId, node });
      }
    }
  }
  // Most literal first, so `/a/b` wins over `/a/{x}`.
  return [...byPath.values()].sort((a, b) => a.params - b.params);
}

function matchRoute(routes: Route[], path: string): Route | undefined {
  // The server ignores a trailing slash, so the contract does too.
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = trimmed.split('/').map(safeDecode);
  return routes.find(
    (route) =>
      route.segments.length === segments.length &&
      route.segments.every((matcher, i) => matcher.test(segments[i] ?? '')),
  );
}

function segmentMatcher(template: string): RegExp {
  const parts = template
    .split(/(\{[^}]+\})/)
    .map((part) =>
      part.startsWith('{') && part.endsWith('}')
        ? '([\\s\\S]+)'
        : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    );
  return new RegExp(`^${parts.join('')}$`);
}

/** Rewrites every `$ref` to an absolute URI under SCHEMA_BASE, so one ajv instance resolves them all. */
function absolutizeRefs(node: unknown, file: string): unknown {
  if (Array.isArray(node)) return node.map((item) => absolutizeRefs(item, file));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      out[key] = value.startsWith('#')
        ? `${SCHEMA_BASE}${file}${value}`
        : /^[a-z][a-z0-9+.-]*:/i.test(value)
          ? value
          : SCHEMA_BASE + value;
    } else {
      out[key] = absolutizeRefs(value, file);
    }
  }
  return out;
}

/** Resolves `<SCHEMA_BASE><file>#/json/pointer` in the given documents. */
function lookup(documents: Record<ContractFile, Json>, ref: string): unknown {
  if (!ref.startsWith(SCHEMA_BASE)) throw new Error(`cannot resolve $ref ${ref}`);
  const [file = '', fragment = ''] = ref.slice(SCHEMA_BASE.length).split('#');
  if (!(CONTRACT_FILES as readonly string[]).includes(file)) throw new Error(`$ref ${ref}: unknown file`);
  let node: unknown = documents[file as ContractFile];
  for (const token of fragment.split('/').slice(1)) {
    const key = safeDecode(token).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else node = undefined;
    if (node === undefined) throw new Error(`$ref ${ref} does not resolve`);
  }
  return node;
}

function formatAjvError(error: ErrorObject): string {
  const at = `body${error.instancePath}`;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `${at} must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (error.keyword === 'const') return `${at} must be ${JSON.stringify(params.allowedValue)}`;
  return `${at} ${error.message ?? `fails ${error.keyword}`}`;
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  const raw = end === -1 ? url : url.slice(0, end);
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? new URL(raw).pathname : raw;
}

function isChecked(path: string): boolean {
  return (
    CHECKED_PREFIXES.some((prefix) => path.startsWith(prefix)) ||
    CHECKED_EXACT.some((exact) => path === exact || path.startsWith(`${exact}/`))
  );
}

function mediaTypeMatches(documented: string, actual: string): boolean {
  if (documented === actual || documented === '*/*') return true;
  return documented.endsWith('/*') && actual.startsWith(documented.slice(0, -1));
}

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
