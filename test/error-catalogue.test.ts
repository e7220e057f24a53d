// The error catalogue (src/errors.ts) and the contract (openapi/) name the same errors: every
// code the server can answer is documented by an example envelope, and every example envelope
// in the files is an error of the catalogue, with the catalogue's status and title.
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../src/errors.js';
import { CONTRACT_FILES, loadContract } from './helpers/contract';

interface DocumentedError {
  code: string;
  status: unknown;
  title: unknown;
  /** `file#/json/pointer` of the error object. */
  where: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every error object of an envelope (`{"errors":[{code,…}]}`) written anywhere in the files. */
function documentedErrors(): DocumentedError[] {
  const found: DocumentedError[] = [];
  function visit(node: unknown, where: string): void {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) visit(item, `${where}/${i}`);
      return;
    }
    if (!isObject(node)) return;
    const errors = node.errors;
    if (Array.isArray(errors)) {
      for (const [i, error] of errors.entries()) {
        if (isObject(error) && typeof error.code === 'string') {
          found.push({
            code: error.code,
            status: error.status,
            title: error.title,
            where: `${where}/errors/${i}`,
          });
        }
      }
    }
    for (const [key, value] of Object.entries(node)) visit(value, `${where}/${key.replace(/\//g, '~1')}`);
  }
  const { documents } = loadContract();
  for (const file of CONTRACT_FILES) visit(documents[file], `${file}#`);
  return found;
}

const catalogue: Readonly<Record<string, { status: number; title: string }>> = ERROR_CATALOGUE;

describe('the error catalogue and openapi/', () => {
  const documented = documentedErrors();

  it('finds the example envelopes of all three files', () => {
    for (const file of CONTRACT_FILES) {
      expect(
        documented.some((e) => e.where.startsWith(`${file}#`)),
        file,
      ).toBe(true);
    }
  });

  it('documents every code of the catalogue with an example', () => {
    const codes = new Set(documented.map((e) => e.code));
    expect(Object.keys(catalogue).filter((code) => !codes.has(code))).toEqual([]);
  });

  it('documents only codes of the catalogue, each with its status and title', () => {
    const drift = documented.flatMap((e) => {
      const entry = catalogue[e.code];
      if (!entry) return [`${e.where}: ${e.code} is not in src/errors.ts`];
      const expected = { status: String(entry.status), title: entry.title };
      return e.status === expected.status && e.title === expected.title
        ? []
        : [
            `${e.where}: ${e.code} is ${JSON.stringify(expected)}, not ${JSON.stringify({ status: e.status, title: e.title })}`,
          ];
    });
    expect(drift).toEqual([]);
  });
});
