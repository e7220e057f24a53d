// The real browser of the browser tests (consent page, /docs), driven by playwright-core.
// Debian's chromium when the machine has it; otherwise the Chromium that @sparticuz/chromium
// ships inside its npm tarball (unpacked to <tmpdir>/chromium on first use), so a machine
// with only Node runs these tests after a plain `npm install`.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

/** The installed @sparticuz/chromium's version (its package.json is not in its exports). */
function bundledVersion(): string {
  for (let dir = dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')); dir !== '/'; ) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@sparticuz/chromium' && pkg.version) return pkg.version;
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the package.json of @sparticuz/chromium');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The bundled binary's path. @sparticuz/chromium unpacks to <tmpdir>/chromium and trusts any
 * file already there, so two test workers unpacking at once (or an unpack killed half-way, or
 * another version's binary) would hand out a broken file: unpack under a lock directory and
 * trust the file only with the marker this version writes after a complete unpack.
 */
export async function bundledChromiumPath(): Promise<string> {
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
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000) {
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
    return path;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function executablePath(env = process.env): Promise<string> {
  const source = chooseBrowser(env);
  return source.kind === 'system' ? source.path : bundledChromiumPath();
}

/** Launches headless chromium with a fresh profile; close it with `browser.close()`. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await executablePath(), headless: true, args: BROWSER_ARGS });
}
