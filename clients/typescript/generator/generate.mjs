#!/usr/bin/env node
// Generates clients/typescript/src/generated/{promotions,admin,oauth}.ts from openapi/*.yaml
// with openapi-typescript. `--check` generates into a temporary directory and fails when the
// committed files differ (CI's drift check); `--out <dir>` writes elsewhere.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const committed = resolve(here, '../src/generated');
const SPECS = ['promotions', 'admin', 'oauth'];

const args = process.argv.slice(2);
const check = args.includes('--check');
const outIndex = args.indexOf('--out');
const out =
  outIndex >= 0 ? resolve(args[outIndex + 1]) : check ? mkdtempSync(join(tmpdir(), 'client-')) : committed;

const header = (name) =>
  `// Generated from openapi/${name}.yaml by openapi-typescript: do not edit.\n` +
  `// Regenerate with \`npm run client:generate\`; \`npm run client:check\` fails on drift.\n\n`;

mkdirSync(out, { recursive: true });
for (const name of SPECS) {
  const source = pathToFileURL(join(root, 'openapi', `${name}.yaml`));
  const ast = await openapiTS(source, {
    alphabetize: false,
    exportType: false,
    defaultNonNullable: false,
    // Each enum's values as a constant too (e.g. webhookEventTypeValues), so clients and the CLI
    // list them from the contract instead of copying them.
    enumValues: true,
  });
  writeFileSync(join(out, `${name}.ts`), header(name) + astToString(ast));
}

if (check) {
  const drifted = SPECS.filter((name) => {
    const file = join(committed, `${name}.ts`);
    return !existsSync(file) || readFileSync(file, 'utf8') !== readFileSync(join(out, `${name}.ts`), 'utf8');
  });
  rmSync(out, { recursive: true, force: true });
  if (drifted.length > 0) {
    console.error(
      `client drift: clients/typescript/src/generated/{${drifted.join(',')}}.ts no longer match openapi/; run npm run client:generate and commit.`,
    );
    process.exit(1);
  }
  console.log('client: generated types match openapi/');
} else {
  console.log(`client: wrote ${SPECS.map((n) => `${n}.ts`).join(', ')} to ${out}`);
}
