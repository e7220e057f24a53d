// The OAuth error catalogue (src/oauth/errors.ts) and openapi/oauth.yaml name the same errors,
// as test/error-catalogue.test.ts holds the API's: every code the token, revoke and introspect
// endpoints can answer is documented by an example under its status, every example body in the
// file is a code of the catalogue, and no OAuthError is built outside the catalogue.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OAUTH_ERROR_CATALOGUE, OAUTH_ERRORS, type OAuthError } from '../../src/oauth/errors.js';
import { loadContract } from '../helpers/contract';

type Node = Record<string, unknown>;
const isObject = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

interface DocumentedError {
  code: string;
  status: string;
  /** The response's header names, lower-cased. */
  headers: string[];
  where: string;
}

const oauth = loadContract().documents['oauth.yaml'] as Node;

function resolve(node: unknown): unknown {
  if (!isObject(node) || typeof node.$ref !== 'string') return node;
  const target = node.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((at, key) => (isObject(at) ? at[key.replace(/~1/g, '/')] : undefined), oauth);
  return resolve(target);
}

/** Every example body `{error, …}` of every response of every operation, with its status. */
function documentedErrors(): DocumentedError[] {
  const found: DocumentedError[] = [];
  for (const [path, item] of Object.entries(oauth.paths as Node)) {
    for (const [method, operation] of Object.entries(item as Node)) {
      if (!isObject(operation) || !isObject(operation.responses)) continue;
      for (const [status, ref] of Object.entries(operation.responses)) {
        const response = resolve(ref) as Node;
        const headers = Object.keys((response.headers as Node | undefined) ?? {}).map((h) => h.toLowerCase());
        for (const [type, media] of Object.entries((response.content as Node | undefined) ?? {})) {
          for (const [name, example] of Object.entries(
            ((media as Node).examples as Node | undefined) ?? {},
          )) {
            const value = (resolve(example) as Node).value;
            if (isObject(value) && typeof value.error === 'string') {
              found.push({
                code: value.error,
                status,
                headers,
                where: `${method} ${path} ${status} ${type} ${name}`,
              });
            }
          }
        }
      }
    }
  }
  return found;
}

/** One error from every factory of the catalogue, built with sample arguments. */
const built: Record<keyof typeof OAUTH_ERRORS, OAuthError> = {
  formMediaType: OAUTH_ERRORS.formMediaType(),
  formParameter: OAUTH_ERRORS.formParameter('scope', 'repeated'),
  parameterRequired: OAUTH_ERRORS.parameterRequired('code'),
  codeVerifierMalformed: OAUTH_ERRORS.codeVerifierMalformed(),
  malformedRequest: OAUTH_ERRORS.malformedRequest('The request body is not valid.'),
  credentialsTwice: OAUTH_ERRORS.credentialsTwice(),
  basicSchemeRequired: OAUTH_ERRORS.basicSchemeRequired(),
  basicCredentialsMalformed: OAUTH_ERRORS.basicCredentialsMalformed(),
  clientAuthenticationRequired: OAUTH_ERRORS.clientAuthenticationRequired(),
  clientAuthenticationFailed: OAUTH_ERRORS.clientAuthenticationFailed(),
  clientDisabled: OAUTH_ERRORS.clientDisabled(),
  codeInvalid: OAUTH_ERRORS.codeInvalid(),
  codeUsed: OAUTH_ERRORS.codeUsed(),
  codeRedirectUriMismatch: OAUTH_ERRORS.codeRedirectUriMismatch(),
  codeVerifierMismatch: OAUTH_ERRORS.codeVerifierMismatch(),
  refreshTokenInvalid: OAUTH_ERRORS.refreshTokenInvalid(),
  refreshTokenReused: OAUTH_ERRORS.refreshTokenReused(),
  unsupportedGrantType: OAUTH_ERRORS.unsupportedGrantType('password'),
  scopeNotAllowed: OAUTH_ERRORS.scopeNotAllowed(),
  scopeBeyondGrant: OAUTH_ERRORS.scopeBeyondGrant(),
  rateLimited: OAUTH_ERRORS.rateLimited('The limit is spent.', { 'retry-after': '60' }),
};

const catalogue: Readonly<Record<string, { status: number }>> = OAUTH_ERROR_CATALOGUE;

function sources(path: string): string[] {
  if (statSync(path).isFile()) return path.endsWith('.ts') ? [path] : [];
  return readdirSync(path).flatMap((name) => sources(join(path, name)));
}

describe('the OAuth error catalogue and openapi/oauth.yaml', () => {
  const documented = documentedErrors();

  it('finds the example bodies of the token, revoke and introspect endpoints', () => {
    for (const operation of ['post /oauth/token ', 'post /oauth/revoke ', 'post /oauth/introspect ']) {
      expect(
        documented.some((e) => e.where.startsWith(operation)),
        operation,
      ).toBe(true);
    }
  });

  it('documents every code of the catalogue with an example under its status', () => {
    const missing = Object.entries(catalogue).filter(
      ([code, { status }]) => !documented.some((e) => e.code === code && e.status === String(status)),
    );
    expect(missing).toEqual([]);
  });

  it('documents only codes of the catalogue, each under its status', () => {
    const drift = documented.flatMap((e) => {
      const entry = catalogue[e.code];
      if (!entry) return [`${e.where}: ${e.code} is not in src/oauth/errors.ts`];
      return e.status === String(entry.status) ? [] : [`${e.where}: ${e.code} answers ${entry.status}`];
    });
    expect(drift).toEqual([]);
  });

  it("lists every code of the catalogue in the OAuthError schema's enum", () => {
    const schema = resolve({ $ref: '#/components/schemas/OAuthError' }) as {
      properties: { error: { enum: string[] } };
    };
    expect(Object.keys(catalogue).filter((code) => !schema.properties.error.enum.includes(code))).toEqual([]);
  });

  it("builds each error with its code's status, and every code from some factory", () => {
    for (const [name, error] of Object.entries(built)) {
      expect(error.statusCode, name).toBe(catalogue[error.error]?.status);
    }
    const used = new Set<string>(Object.values(built).map((e) => e.error));
    expect(Object.keys(catalogue).filter((code) => !used.has(code))).toEqual([]);
  });

  it('documents the headers each error carries (and no-store) on every response of its code', () => {
    const undocumented = Object.entries(built).flatMap(([name, error]) =>
      documented
        .filter((e) => e.code === error.error)
        .flatMap((e) =>
          ['cache-control', ...Object.keys(error.headers)]
            .filter((header) => !e.headers.includes(header))
            .map((header) => `${name}: ${e.where} does not declare ${header}`),
        ),
    );
    expect(undocumented).toEqual([]);
  });

  it('is the only place an OAuthError is built', () => {
    const builders = sources('src').filter((file) => readFileSync(file, 'utf8').includes('new OAuthError('));
    expect(builders).toEqual(['src/oauth/errors.ts']);
  });
});
