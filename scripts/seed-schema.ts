// Writes openapi/seed.schema.json, the JSON Schema of the bootstrap file (CONTRACT §10), from
// its zod schema (src/bootstrap/schema.ts): `npm run seed:schema`. With `--check` it only
// compares, and exits 1 when the committed file has drifted (test/bootstrap/seed-schema.test.ts
// checks the same in the suite).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedFileJsonSchema } from '../src/bootstrap/schema.js';
import { PROJECT_ROOT } from '../src/paths.js';

export const SEED_SCHEMA_FILE = join(PROJECT_ROOT, 'openapi', 'seed.schema.json');
export const renderSeedSchema = (): string => `${JSON.stringify(seedFileJsonSchema(), null, 2)}\n`;

if (process.argv[1]?.endsWith('seed-schema.ts')) {
  const expected = renderSeedSchema();
  if (process.argv.includes('--check')) {
    if (readFileSync(SEED_SCHEMA_FILE, 'utf8') !== expected) {
      console.error(
        'openapi/seed.schema.json no longer matches src/bootstrap/schema.ts: run npm run seed:schema',
      );
      process.exit(1);
    }
    console.log('openapi/seed.schema.json matches src/bootstrap/schema.ts');
  } else {
    writeFileSync(SEED_SCHEMA_FILE, expected);
    console.log(`wrote ${SEED_SCHEMA_FILE}`);
  }
}
