import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadResult, LoadSpec } from './load.js';
import { rssBytes } from './probe.js';

export const ROOT = join(import.meta.dirname, '..');

export interface Served {
  name: string;
  url: string;
  child: ChildProcess;
  stderr: string[];
}

/** What `npm start` runs, and what the bench serves: the compiled entry (see buildServer). */
export const SERVER_ENTRY = 'dist/src/server.js';

/** `npm start` is `[NAME=value …] node [--flag …] <entry>`: the variables and flags, to serve exactly that. */
export function startScript(
  start: string | undefined,
): { env: Record<string, string>; nodeArgs: string[] } | undefined {
  const match = start?.match(/^((?:[A-Z_][A-Z0-9_]*=\S+\s+)*)node((?:\s+--\S+)*)\s+(\S+)$/);
  if (!match || match[3] !== SERVER_ENTRY) return undefined;
  const env = Object.fromEntries(
    (match[1] ?? '')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  return { env, nodeArgs: (match[2] ?? '').trim().split(/\s+/).filter(Boolean) };
}

/**
 * `npm run build` (tsc -p tsconfig.build.json), once per bench, so the server runs as compiled
 * JavaScript exactly as `npm start` does, with the variables and Node flags its script sets
 * (returned). Warns when package.json's start script is not `[NAME=value …] node [--flag …] dist/src/server.js`.
 */
export async function buildServer(
  log: (line: string) => void,
): Promise<{ env: Record<string, string>; nodeArgs: string[] }> {
  const start = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start?: string } }
  ).scripts.start;
  const script = startScript(start);
  if (!script) log(`warning: \`npm start\` is \`${start}\`, but the bench serves \`node ${SERVER_ENTRY}\``);
  await run('npm', ['run', 'build']);
  return script ?? { env: {}, nodeArgs: [] };
}

/**
 * Starts `node [nodeArgs] <script>` (add `--import tsx` to nodeArgs for TypeScript) and waits
 * until /healthz answers.
 */
export async function startServer(
  name: string,
  script: string,
  port: number,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<Served> {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    if (stderr.length > 200) stderr.shift();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited at start:\n${stderr.join('')}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not start in 30 s:\n${stderr.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { name, url, child, stderr };
}

/** SIGTERM and wait, so close-with-grace runs and a --cpu-prof profile gets written. */
export async function stopServer(served: Served): Promise<void> {
  if (served.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => served.child.once('exit', () => resolve()));
  served.child.kill('SIGTERM');
  const timer = setTimeout(() => served.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Samples a process's RSS every 250 ms until stopped; returns the peak seen. */
export function sampleRss(pid: number, everyMs = 250): { stop(): number } {
  let peak = rssBytes(pid) ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid) ?? 0);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssBytes(pid) ?? 0);
    },
  };
}

/** Runs bench/load.ts in its own process and parses its one line of JSON. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const file = join(tmpdir(), `bench-load-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load.ts', file], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`load generator failed (${code}):\n${stderr}`);
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}

/** Runs a command and returns its stdout; rejects with stderr on failure. */
export async function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${cmd} failed (${code}):\n${stderr}`);
  return stdout;
}
