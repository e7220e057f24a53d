// The real browser of the browser tests (consent page, /docs), driven by playwright-core.
// Debian's chromium when the machine has it; otherwise the Chromium that @sparticuz/chromium
// ships inside its npm tarball (unpacked to <tmpdir>/chromium on first use), so a machine
// with only Node runs these tests after a plain `npm install`.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export type BrowserSource = { kind: 'system'; path: string } | { kind: 'bundled' };

/**
 * Which chromium to launch. CHROMIUM_PATH overrides /usr/bin/chromium; a path that does not
 * exist falls through to the bundled one, as does BROWSER_PREFER_BUNDLED=1.
 */
export function chooseBrowser(
  env: Record<string, string | undefined>,
  exists: (path: string) => boolean = existsSync,
): BrowserSource {
  if (env.BROWSER_PREFER_BUNDLED === '1') return { kind: 'bundled' };
  const path = env.CHROMIUM_PATH || SYSTEM_CHROMIUM;
  return exists(path) ? { kind: 'system', path } : { kind: 'bundled' };
}

/**
 * What the browser tests have always passed. Each launch also gets a fresh, temporary profile:
 * playwright-core creates one itself (it refuses a `--user-data-dir` argument to `launch`).
 */
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where @sparticuz/chromium is installed (its package.json is not in its exports). */
function packageDir(): string {
  for (let dir = dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')); dir !== '/'; ) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === PACKAGE)
      return dir;
    dir = dirname(dir);
  }
  throw new Error(`cannot find the package.json of ${PACKAGE}`);
}

const PACKAGE = '@sparticuz/chromium';
const bundledVersion = () =>
  (JSON.parse(readFileSync(join(packageDir(), 'package.json'), 'utf8')) as { version: string }).version;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The bundled binary needs libnss3, libnspr4 and libexpat beyond glibc. A machine with only
 * Node may lack them: the package ships them (built for Amazon Linux 2023, glibc 2.34, which
 * any newer glibc runs) and unpacks them only on Lambda, so unpack them here when `ldd` finds
 * one missing (or BROWSER_BUNDLED_LIBS=1) and point LD_LIBRARY_PATH at them.
 */
function bundledLibraries(binary: string, version: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.BROWSER_BUNDLED_LIBS !== '1') {
    let missing = false;
    try {
      missing = /not found/.test(execFileSync('ldd', [binary], { encoding: 'utf8' }));
    } catch {
      missing = true; // no ldd: be safe, the bundled copies work with any glibc ≥ 2.34
    }
    if (!missing) return undefined;
  }
  const dir = join(tmpdir(), `chromium-libs-${version}`);
  if (!existsSync(join(dir, '.ok'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const tar = join(dir, 'al2023.tar');
    writeFileSync(tar, brotliDecompressSync(readFileSync(join(packageDir(), 'bin', 'al2023.tar.br'))));
    execFileSync('tar', ['-xf', tar, '-C', dir]);
    rmSync(tar);
    writeFileSync(join(dir, '.ok'), '');
  }
  return join(dir, 'lib');
}

/**
 * The bundled binary's path. @sparticuz/chromium unpacks to <tmpdir>/chromium and trusts any
 * file already there, so two test workers unpacking at once (or an unpack killed half-way, or
 * another version's binary) would hand out a broken file: unpack under a lock directory and
 * trust the file only with the marker this version writes after a complete unpack.
 */
export async function bundledChromium(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ path: string; libraries: string | undefined }> {
  const version = bundledVersion();
  const binary = join(tmpdir(), 'chromium');
  const marker = join(tmpdir(), `chromium.sparticuz-${version}.ok`);
  const lock = join(tmpdir(), 'chromium.sparticuz.lock');
  for (const started = Date.now(); ; ) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A holder killed mid-unpack leaves its lock behind; unpacking takes a few seconds.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 120_000) {
        rmSync(lock, { recursive: true, force: true });
      } else if (Date.now() - started > 180_000) {
        throw new Error(`waited 3 minutes for ${lock}`);
      }
      await sleep(200);
    }
  }
  try {
    if (!existsSync(marker)) rmSync(binary, { force: true });
    const { default: bundled } = await import('@sparticuz/chromium');
    const path = await bundled.executablePath();
    writeFileSync(marker, `${path}\n`);
    return { path, libraries: bundledLibraries(path, version, env) };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Launches headless chromium with a fresh profile; close it with `browser.close()`. */
export async function launchBrowser(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const source = chooseBrowser(env);
  if (source.kind === 'system') {
    return chromium.launch({ executablePath: source.path, headless: true, args: BROWSER_ARGS });
  }
  const { path, libraries } = await bundledChromium(env);
  return chromium.launch({
    executablePath: path,
    headless: true,
    args: BROWSER_ARGS,
    ...(libraries
      ? { env: { ...env, LD_LIBRARY_PATH: [libraries, env.LD_LIBRARY_PATH].filter(Boolean).join(':') } }
      : {}),
  });
}
