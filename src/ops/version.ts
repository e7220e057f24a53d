// What this server is (issue 28): package.json's version, and the build it came from (`git
// describe`), shown in GET /healthz, the User-Agent of webhook deliveries and the console footer.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';

export interface AppVersion {
  /** package.json's `version`. */
  version: string;
  /** `git describe --tags --always --dirty` of the source, or null when unknown. */
  build: string | null;
}

/**
 * The image has no .git: its Dockerfile writes the GIT_DESCRIBE build argument to this file in
 * the project root. A checkout has no such file and asks git, once.
 */
export const BUILD_FILE = 'build-version';

function readBuild(root: string): string | null {
  const file = join(root, BUILD_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim() || null;
  try {
    const described = execFileSync('git', ['describe', '--tags', '--always', '--dirty'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    }).trim();
    return described || null;
  } catch {
    return null; // no git, or not a repository
  }
}

export function readAppVersion(root = PROJECT_ROOT): AppVersion {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { version: pkg.version, build: readBuild(root) };
}

let cached: AppVersion | undefined;
/** This process's version, read once. */
export function appVersion(): AppVersion {
  cached ??= readAppVersion();
  return cached;
}

/** `0.1.0 (v0.1.0-3-gabc1234)`, or the version alone when the build is unknown. */
export const versionLabel = (v: AppVersion = appVersion()): string =>
  v.build && v.build !== v.version && v.build !== `v${v.version}` ? `${v.version} (${v.build})` : v.version;

/** The User-Agent of webhook deliveries: `promotions-enrollment-server/<version>`. */
export const webhookUserAgent = (v: AppVersion = appVersion()): string =>
  `promotions-enrollment-server/${v.version}`;
