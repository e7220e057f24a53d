import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exit: Promise<number | null>;
  /** Resolves once `text` appeared in stdout/stderr. */
  waitFor(text: string, ms?: number): Promise<void>;
  /** Resolves once GET /healthz answers 200. */
  waitHealthy(ms?: number): Promise<void>;
}

/** What `npm start` runs after its prestart `npm run build`. */
export const COMPILED_ENTRY = 'dist/src/server.js';

/**
 * The environment `npm start` (and the Dockerfile) sets for node: a fixed glibc mmap
 * threshold, so scrypt's 16 MB blocks are unmapped when freed instead of being kept, one per
 * libuv thread, by glibc's sliding threshold (issue 11's RSS target; see docs/PERFORMANCE.md).
 */
export const START_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' };

/**
 * The Node flags `npm start` (and the Dockerfile) passes, V8 as Node 20 ran it: the young
 * generation capped at 16 MB semi-spaces (from V8 12, Node 22, the cap grows with the host's
 * memory: 64 MB semi-spaces on 24 GiB, ~100 MB more resident memory) and no Maglev, the
 * mid-tier JIT Node 22 turned on (~35 MB more code under load). Neither bought measurable
 * throughput here (docs/PERFORMANCE.md, "Memory on Node 24"). And the old generation grown
 * by at most 1.5× per mark-compact, so a burst of long requests (usage batches) does not pile
 * up ~100 MB of garbage before V8 collects it (docs/PERFORMANCE.md, "Ingest's peak RSS").
 */
export const START_NODE_FLAGS = ['--max-semi-space-size=16', '--heap-growing-percent=50', '--no-maglev'];

/**
 * `npm run build` (tsc -p tsconfig.build.json into dist/), safe while another test file or
 * a running server uses dist/: tsc writes into a private directory and each file is then
 * renamed into place (atomic), so nobody ever reads a half-written module.
 */
export function buildCompiledServer(): void {
  mkdirSync('dist', { recursive: true });
  const staging = mkdtempSync(join('dist', '.build-'));
  try {
    execFileSync('node_modules/.bin/tsc', ['-p', 'tsconfig.build.json', '--outDir', staging], {
      stdio: 'pipe',
    });
    for (const entry of readdirSync(staging, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const from = join(entry.parentPath, entry.name);
      const to = join('dist', relative(staging, from));
      mkdirSync(dirname(to), { recursive: true });
      renameSync(from, to);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The real entry point as a child process: `src/server.ts` under tsx (what `npm run dev`
 * serves), or with `compiled` the JavaScript `npm start` serves (build it first).
 */
export function startServer(
  env: Record<string, string>,
  options: { compiled?: boolean } = {},
): ServerProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['DATABASE_URL', 'TEST_DB', 'REDIS_URL', 'ADMIN_TOKEN'].includes(k),
    ),
  );
  const args = options.compiled
    ? [...START_NODE_FLAGS, COMPILED_ENTRY]
    : ['--import', 'tsx', 'src/server.ts'];
  const child = spawn(process.execPath, args, {
    env: {
      ...inherited,
      ...(options.compiled ? START_ENV : {}),
      LOG_LEVEL: 'info',
      ...env,
    } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    url: `http://127.0.0.1:${env.PORT}`,
    output: () => out,
    exit,
    async waitFor(text: string, ms = 90_000) {
      const until = Date.now() + ms;
      while (!out.includes(text)) {
        if (child.exitCode !== null)
          throw new Error(`server exited (${child.exitCode}) before "${text}":\n${out}`);
        if (Date.now() > until) throw new Error(`timed out waiting for "${text}"; output:\n${out}`);
        await sleep(50);
      }
    },
    async waitHealthy(ms = 90_000) {
      const until = Date.now() + ms;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${out}`);
        const ok = await fetch(`http://127.0.0.1:${env.PORT}/healthz`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) return;
        if (Date.now() > until) throw new Error(`server not healthy in time; output:\n${out}`);
        await sleep(100);
      }
    },
  };
}

const PG_BIN = (() => {
  try {
    return execFileSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return '/usr/lib/postgresql/15/bin';
  }
})();

export interface PostgresCluster {
  url: string;
  port: number;
  start(): void;
  /** `immediate` is a crash as far as clients can tell. */
  stop(mode?: 'fast' | 'immediate'): void;
  destroy(): void;
}

/**
 * A PostgreSQL cluster owned by one test file (initdb under a temp dir, a free port), so
 * killing it harms nothing else. initdb refuses root, so it runs as the postgres user.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-fault-'));
  const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const postgresGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, postgresUid, postgresGid);
  const asPostgres = (bin: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args], { stdio: 'pipe' });
  asPostgres('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '-E', 'UTF8']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100`;
  const cluster: PostgresCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: () =>
      asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-o', options, '-l', join(dir, 'log'), '-w', 'start']),
    stop: (mode = 'fast') => asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-m', mode, '-w', 'stop']),
    destroy() {
      try {
        cluster.stop('immediate');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}
