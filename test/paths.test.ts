import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from '../src/db/client.js';
import { OPENAPI_DIR } from '../src/ops/routes.js';
import { findProjectRoot, PROJECT_ROOT } from '../src/paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'promotions-paths-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('PROJECT_ROOT: the directory holding package.json, whatever the code layout', () => {
  it('is the checkout when running from src/', () => {
    expect(PROJECT_ROOT).toBe(resolve('.'));
    expect(MIGRATIONS_FOLDER).toBe(resolve('migrations'));
    expect(OPENAPI_DIR).toBe(resolve('openapi'));
  });

  it('is found from any depth: src/ (tsx), dist/src/db/ (npm start), /app/dist/src/ (image)', () => {
    writeFileSync(join(scratch, 'package.json'), '{}');
    for (const dir of ['src', 'src/db', 'dist/src', 'dist/src/db']) {
      mkdirSync(join(scratch, dir), { recursive: true });
      expect(findProjectRoot(join(scratch, dir))).toBe(scratch);
    }
  });

  it('says so when there is no package.json above', () => {
    expect(() => findProjectRoot('/')).toThrow('no package.json above /');
  });
});
