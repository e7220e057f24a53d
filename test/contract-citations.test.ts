// Every `CONTRACT §N` (and `§N.M`, `§3 rule K`) that the code, the tests, the OpenAPI files and
// the README cite names a section of docs/CONTRACT.md, the contract kept in this repository.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = [
  'src',
  'test',
  'clients/cli',
  'clients/typescript/src',
  'examples',
  'openapi',
  'bench',
  'README.md',
];
const SKIP = new Set(['node_modules', 'generated']);

function files(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .filter((name) => !SKIP.has(name))
    .flatMap((name) => files(join(path, name)));
}

const contract = readFileSync('docs/CONTRACT.md', 'utf8');
const sections = new Set([...contract.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? /gm)].map((m) => m[1]!));
const rules = new Set([...contract.matchAll(/^### Rule (\d+) /gm)].map((m) => m[1]!));

const citations = ROOTS.flatMap(files).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/CONTRACT §(\d+(?:\.\d+)?)(?: rules? (\d+))?/g)].map((m) => ({
    file,
    section: m[1]!.replace(/\.$/, ''),
    rule: m[2],
  })),
);

describe('citations of the contract', () => {
  it('are many: the rules of the code say where the contract states them', () => {
    expect(citations.length).toBeGreaterThan(150);
    expect(sections.has('3') && sections.has('8.2') && sections.has('11')).toBe(true);
    expect(rules.size).toBe(10);
  });

  it('each name a section (and a rule) of docs/CONTRACT.md', () => {
    const dangling = citations.filter(
      (c) => !sections.has(c.section) || (c.rule !== undefined && !rules.has(c.rule)),
    );
    expect(dangling).toEqual([]);
  });
});
