// src/db/README.md: every named statement is given its name by src/db/prepared.ts (`prepared`
// for raw SQL, `preparedQuery` for a builder query), and the name reads
// `{entity}_{operation}_{qualifier}`, one name per statement.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(path: string): string[] {
  if (statSync(path).isFile()) return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path).flatMap((name) => files(join(path, name)));
}

const sources = files('src').map((file) => ({ file, text: readFileSync(file, 'utf8') }));
const NAMED = /\bprepared(?:Query)?\s*(?:<[\s\S]*?>)?\(\s*'([^']+)'/g;
const names = sources.flatMap(({ file, text }) =>
  [...text.matchAll(NAMED)].map((m) => ({ file, name: m[1]! })),
);
const SCHEME =
  /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*?_(?:find|list|insert|update|delete|soft_delete|lock)(?:_[a-z0-9]+)*$/;

describe('statement names (src/db/README.md)', () => {
  it('finds the hot statements: the enrollment, token and partner reads and writes', () => {
    expect(names.map((n) => n.name)).toEqual(
      expect.arrayContaining([
        'access_token_find_by_id',
        'enrollment_find_with_token',
        'enrollment_insert_guarded',
        'enrollment_soft_delete',
        'partner_find_by_client_id',
      ]),
    );
  });

  it('reads {entity}_{operation}_{qualifier}, each name once', () => {
    for (const { file, name } of names) expect(name, file).toMatch(SCHEME);
    const all = names.map((n) => n.name);
    expect(new Set(all).size).toBe(all.length);
  });

  it('is given only in src/db/prepared.ts: no builder calls .prepare() itself', () => {
    const direct = sources.filter(
      ({ file, text }) => !file.startsWith(join('src', 'db')) && /\.prepare\(/.test(text),
    );
    expect(direct.map((s) => s.file)).toEqual([]);
  });
});
