// The typed client as a package (issue 28): `npm pack` in clients/typescript builds it to
// JavaScript with type declarations, and a plain Node project with no dev dependencies
// installs the tarball and imports it (ESM) with `node` alone, no tsx, no TypeScript.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, useTestApp } from '../helpers/app.js';
import { listen } from './helpers.js';

const CLIENT_DIR = resolve('clients/typescript');
const scratch = mkdtempSync(join(tmpdir(), 'promotions-client-pack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
  });

describe('clients/typescript as an npm package', { timeout: 300_000 }, () => {
  const ctx = useTestApp();
  let tarball: string;
  let files: string[];
  let project: string;

  beforeAll(() => {
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', scratch], CLIENT_DIR)) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = join(scratch, packed!.filename);
    files = packed!.files.map((f) => f.path).sort();
    // A plain project: ESM, the tarball as its one dependency, installed without dev deps.
    project = join(scratch, 'consumer');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        type: 'module',
        dependencies: { '@promotions/client': `file:${tarball}` },
      }),
    );
    npm(['install', '--omit=dev'], project);
  }, 300_000);

  it('packs the built JavaScript and its declarations, not the TypeScript sources', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/errors.js',
        'dist/retry.js',
        'dist/webhooks.js',
        'dist/generated/admin.d.ts',
      ]),
    );
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const manifest = JSON.parse(
      readFileSync(join(project, 'node_modules/@promotions/client/package.json'), 'utf8'),
    );
    expect(manifest.exports).toEqual({ '.': { types: './dist/index.d.ts', default: './dist/index.js' } });
    expect(manifest.engines).toEqual({ node: '>=22' });
  });

  it('is imported by plain node and talks to the server', async () => {
    const base = await listen(ctx.app);
    writeFileSync(
      join(project, 'main.js'),
      `import { createAdminClient, PromotionsApiError } from '@promotions/client';
const admin = createAdminClient({ baseUrl: process.argv[2], adminToken: process.argv[3] });
const health = await admin.ops.healthz();
let refused;
try {
  await createAdminClient({ baseUrl: process.argv[2], adminToken: 'wrong-token-wrong-token' }).promotions.list();
} catch (error) {
  refused = error instanceof PromotionsApiError ? [error.status, error.code] : String(error);
}
console.log(JSON.stringify({ health, refused }));
`,
    );
    // No loader, no flags: the Node that runs this test, on the installed package alone.
    // Asynchronously: the server answering it runs in this process.
    const { stdout: out } = await promisify(execFile)(process.execPath, ['main.js', base, ADMIN_TOKEN], {
      cwd: project,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
      timeout: 60_000,
    });
    const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(JSON.parse(out)).toEqual({
      health: { status: 'ok', version, build: expect.any(String) },
      refused: [401, 'not_authenticated'],
    });
  });

  it('types check against the declarations alone (tsc, NodeNext, strict)', () => {
    writeFileSync(
      join(project, 'check.ts'),
      `import { createPromotionsClient, type PromotionDetail } from '@promotions/client';
const client = createPromotionsClient({ baseUrl: 'http://127.0.0.1:3000', accessToken: 'at' });
export const read = (id: string): Promise<PromotionDetail> => client.getEnrollment(id);
// @ts-expect-error enroll takes a promotion id string
client.enroll(42);
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
          lib: ['ES2023', 'DOM'],
        },
        files: ['check.ts'],
      }),
    );
    const tsc = resolve('node_modules/.bin/tsc');
    expect(execFileSync(tsc, ['-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' })).toBe('');
  });
});
