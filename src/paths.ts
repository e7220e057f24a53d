import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding package.json, found by walking up from this file: `src/` in a
 * checkout under tsx, `dist/src/` when compiled (`npm start`), `/app/dist/src/` in the image.
 * Files shipped beside the code (migrations/, openapi/) are resolved from here, never by a
 * fixed number of `..` that holds in one layout only.
 */
export function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
