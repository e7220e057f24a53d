import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/ARCHITECTURE.md "The layers": the audiences (admin, console, oauth) lend nothing. No
// feature or ground file imports one, and no audience imports another; only the wiring
// (src/app.ts, src/server.ts) registers them.
const AUDIENCES = new Set(['admin', 'console', 'oauth']);
const WIRING = new Set(['app.ts', 'server.ts']);
const SRC = resolve(import.meta.dirname, '../../src');
const areaOf = (file: string) => relative(SRC, file).split('/')[0]!;

function forbiddenImports(): string[] {
  const found: string[] = [];
  for (const name of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
    const file = join(SRC, name);
    if (!file.endsWith('.ts') || WIRING.has(name)) continue;
    const from = areaOf(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      const to = areaOf(resolve(dirname(file), spec!));
      if (to !== from && AUDIENCES.has(to)) found.push(`${name} → ${to}/ (${spec})`);
    }
  }
  return found;
}

describe('architecture', () => {
  it('no feature imports an audience, and no audience imports another', () => {
    expect(forbiddenImports()).toEqual([]);
  });
});
