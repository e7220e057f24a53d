// Where a test lives: test/<feature>/ for every src/<feature>/, named by surface
// (test/promotions/admin-api.test.ts), and never in src/ (its unit tests sit beside their
// twins, e.g. test/rules/expiration.test.ts and expiration-sql.test.ts).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/paths.js';

const SRC = join(PROJECT_ROOT, 'src');
const TEST = join(PROJECT_ROOT, 'test');

/** Files under `dir`, relative to it. */
const filesUnder = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' });

describe('the test layout', () => {
  it('has no test file in src/', () => {
    expect(filesUnder(SRC).filter((f) => f.endsWith('.test.ts'))).toEqual([]);
  });

  it('has a test/<feature>/ with tests for every src/<feature>/ holding code', () => {
    const features = readdirSync(SRC, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      // Type declarations only (src/types/*.d.ts): nothing to run.
      .filter((name) => filesUnder(join(SRC, name)).some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')));
    expect(features.length).toBeGreaterThan(15);
    const untested = features.filter((name) => {
      try {
        return !filesUnder(join(TEST, name)).some((f) => f.endsWith('.test.ts'));
      } catch {
        return true;
      }
    });
    expect(untested).toEqual([]);
  });
});
