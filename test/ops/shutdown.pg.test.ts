import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_TOKEN } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// The real entry point in its production shape (its own PostgreSQL database, the machine's
// Redis), stopped the way an orchestrator stops it. pg project only: on the embedded store,
// test/server.test.ts already checks that SIGTERM and SIGINT exit 0, and a second PGlite
// server starting beside it would only slow both down.
const dataDir = mkdtempSync(join(tmpdir(), 'promotions-shutdown-'));
let db: TestDatabase;
let child: ChildProcess | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function startServer() {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.DATABASE_URL;
  delete env.TEST_DB;
  Object.assign(env, {
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
  });
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d) => {
    output += d;
  });
  proc.stderr!.on('data', (d) => {
    output += d;
  });
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 25);
    void exit.then(() => {
      clearInterval(timer);
      reject(new Error(`the server exited before listening:\n${output}`));
    });
  });
  return { proc, exit, listening, output: () => output };
}

interface Answer {
  status: number;
  connection: string | undefined;
}

function request(agent: http.Agent, base: string, method: string, path: string, body?: unknown) {
  return new Promise<Answer>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${base}${path}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('SIGTERM', () => {
  it('lets in-flight requests finish, closes keep-alive connections and exits 0 within the grace period', async () => {
    const server = startServer();
    child = server.proc;
    const base = await server.listening;
    // Connected to Redis too, so its connection is one of the things to close.
    await vi.waitFor(
      async () => expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^redis_up 1$/m),
      { timeout: 10_000, interval: 50 },
    );
    const IN_FLIGHT = 16;
    const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const closedSockets: Promise<void>[] = [];

    // Open the keep-alive connections first, so every request below is on an accepted socket.
    const warm = await Promise.all(
      Array.from({ length: IN_FLIGHT }, () => request(agent, base, 'GET', '/healthz')),
    );
    expect(warm.map((a) => a.status)).toEqual(Array(IN_FLIGHT).fill(200));
    for (const sockets of Object.values(agent.freeSockets)) {
      for (const socket of sockets ?? []) closedSockets.push(new Promise((r) => socket.once('close', r)));
    }
    expect(closedSockets).toHaveLength(IN_FLIGHT);

    // Account creation hashes a password with scrypt: slow enough to be in flight at SIGTERM.
    const inFlight = Array.from({ length: IN_FLIGHT }, (_, i) =>
      request(agent, base, 'POST', '/admin/v1/accounts', {
        email: `shutdown-${i}@example.com`,
        password: 'a long enough password',
      }),
    );
    const first = await Promise.race(inFlight);
    expect(first.status).toBe(201);
    server.proc.kill('SIGTERM');

    const answers = await Promise.all(inFlight);
    // Every request got an answer: finished (201), or 503 if the server read it only after
    // the signal (return503OnClosing). None was cut off (that would reject above).
    for (const answer of answers) expect([201, 503]).toContain(answer.status);
    expect(answers.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(1);
    // Responses finished after the signal end their keep-alive connection.
    expect(answers.some((a) => a.connection === 'close')).toBe(true);

    // close-with-grace exits 1 when the grace period (SHUTDOWN_TIMEOUT_MS, 10 s) runs out.
    const code = await server.exit;
    if (code !== 0) console.log(server.output());
    expect(code).toBe(0);
    // The server closed the keep-alive connections (a process exit closes them as well, so
    // what this proves is that nothing kept the process alive past its grace period).
    await Promise.all(closedSockets);
    agent.destroy();
    expect(server.output()).toContain('"msg":"shutting down"');
    expect(server.output()).toContain('"msg":"shut down"');
  }, 120_000);
});
