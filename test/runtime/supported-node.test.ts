import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The supported runtimes live in package.json's engines.node; scripts/check-node.cjs reads them
// and npm runs it before start, test, dev, bench and prepare (issue 18).
const require = createRequire(import.meta.url);
const { parseEngines, satisfies, refusal } = require('../../scripts/check-node.cjs') as {
  parseEngines: (range: string) => { major: number; minor: number; patch: number }[];
  satisfies: (version: string, ranges: ReturnType<typeof parseEngines>) => boolean;
  refusal: (version: string, range: string) => string | null;
};

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const ENGINES = pkg.engines.node;
const REFUSAL_20 =
  'Node.js v20.20.2 is not supported: this server runs on Node.js 22 (22.19+), 24 or 26 (24 LTS recommended). ' +
  'Get one from https://nodejs.org/en/download or with `nvm install 24`, then run the command again.';

const scratch = mkdtempSync(join(tmpdir(), 'promotions-node-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the supported Node.js runtimes (package.json engines.node)', () => {
  it('are 22 from 22.19 (undici 8), 24 and 26: no odd release, nothing older, nothing untested newer', () => {
    expect(ENGINES).toBe('^22.19.0 || ^24.0.0 || ^26.0.0');
    const ranges = parseEngines(ENGINES);
    const verdicts = Object.fromEntries(
      [
        '18.20.8',
        '20.20.2',
        '22.18.0',
        '22.19.0',
        '22.23.5',
        '23.11.0',
        '24.0.0',
        '24.22.3',
        '25.9.0',
        '26.0.0',
        '26.12.1',
        '27.0.0',
      ].map((v) => [v, satisfies(v, ranges)]),
    );
    expect(verdicts).toEqual({
      '18.20.8': false,
      '20.20.2': false,
      '22.18.0': false,
      '22.19.0': true,
      '22.23.5': true,
      '23.11.0': false,
      '24.0.0': true,
      '24.22.3': true,
      '25.9.0': false,
      '26.0.0': true,
      '26.12.1': true,
      '27.0.0': false,
    });
    expect(satisfies(`v${process.versions.node}`, ranges)).toBe(true);
  });

  it('refuse an unsupported one in one line naming the supported versions and how to get one', () => {
    expect(refusal('v20.20.2', ENGINES)).toBe(REFUSAL_20);
    expect(refusal('24.22.3', ENGINES)).toBeNull();
    expect(() => parseEngines('>=22')).toThrow('engines.node must be caret ranges joined by ||, got ">=22"');
  });

  it('are the ones the image, @types/node and .nvmrc name: 24 LTS as the target', () => {
    const froms = [...readFileSync('Dockerfile', 'utf8').matchAll(/^FROM node:(\d+)-bookworm-slim/gm)].map(
      (m) => m[1],
    );
    expect(froms).toEqual(['24', '24']);
    expect(pkg.devDependencies['@types/node']).toMatch(/^\^24\./);
    expect(readFileSync('.nvmrc', 'utf8')).toBe('24\n');
  });

  it('are checked before every npm entry point that runs the code', () => {
    for (const script of [
      'prestart',
      'pretest',
      'pretest:pg',
      'pretest:changed',
      'predev',
      'prebench',
      'prepare',
    ]) {
      expect(pkg.scripts[script], script).toMatch(/^node scripts\/check-node\.cjs( && |$)/);
    }
  });
});

describe('npm start and npm test on Node 20', () => {
  // The running Node, made to report 20.20.2 before any script runs: npm and the check see it.
  const fake = join(scratch, 'node20.cjs');
  writeFileSync(
    fake,
    "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.20.2' } });\n",
  );
  const run = (script: string) =>
    spawnSync('npm', [script], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: `--require ${fake}`, npm_config_update_notifier: 'false' },
      timeout: 60_000,
    });

  for (const script of ['start', 'test']) {
    it(`npm ${script} stops at once: exit 1, the one line on stderr, nothing built or run`, () => {
      const result = run(script);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`${REFUSAL_20}\n`);
      expect(result.stdout).not.toContain('tsc -p');
      expect(result.stdout).not.toContain('vitest');
    });
  }
});

describe('npm install on Node 20 (issue 28)', () => {
  it('stops at once with EBADENGINE (.npmrc engine-strict), before downloading anything', () => {
    expect(readFileSync('.npmrc', 'utf8')).toMatch(/^engine-strict=true$/m);
    // A copy of what a fresh clone's install reads, with an empty cache and no network: a
    // download would fail differently (ENOTCACHED), so only the engine refusal can end it.
    const project = mkdtempSync(join(scratch, 'install-'));
    for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
      writeFileSync(join(project, file), readFileSync(file));
    }
    const fake = join(scratch, 'node20-install.cjs');
    writeFileSync(
      fake,
      "Object.defineProperty(process, 'version', { value: 'v20.20.2' });\n" +
        "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.20.2' } });\n",
    );
    const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--offline'], {
      cwd: project,
      encoding: 'utf8',
      env: {
        ...process.env,
        NODE_OPTIONS: `--require ${fake}`,
        npm_config_cache: join(project, '.npm-cache'),
        npm_config_update_notifier: 'false',
      },
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npm error code EBADENGINE');
    expect(result.stderr).toContain(`npm error notsup Required: {"node":"${ENGINES}"}`);
    expect(result.stderr).not.toContain('ENOTCACHED');
    expect(readdirSync(project).sort()).toEqual([
      '.npm-cache',
      '.npmrc',
      'package-lock.json',
      'package.json',
    ]);
  });
});
