import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCompiledServer,
  COMPILED_ENTRY,
  freePort,
  START_ENV,
  START_NODE_FLAGS,
  startServer as startServerProcess,
} from './helpers/processes.js';

// The real entry point, as an operator runs it: `npm start` = `npm run build` (prestart),
// then node on the compiled JavaScript in dist/, which must find migrations/ and openapi/
// from a checkout (and from the image's /app, see scripts/test-docker.sh).
const dataDir = mkdtempSync(join(tmpdir(), 'promotions-server-'));
beforeAll(buildCompiledServer, 120_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const startServer = (env: Record<string, string>) => startServerProcess(env, { compiled: true });

describe('npm start on an empty embedded store', { timeout: 120_000 }, () => {
  it('is the build, then node on the compiled entry (no tsx at run time)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    // The runtime check first (scripts/check-node.cjs, test/runtime/supported-node.test.ts).
    expect(pkg.scripts.prestart).toBe('node scripts/check-node.cjs && npm run build');
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json');
    expect(pkg.scripts.start).toBe(
      `MALLOC_MMAP_THRESHOLD_=${START_ENV.MALLOC_MMAP_THRESHOLD_} node ${START_NODE_FLAGS.join(' ')} ${COMPILED_ENTRY}`,
    );
    // The image runs node directly (PID 1), with the same environment.
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile).toContain(`MALLOC_MMAP_THRESHOLD_=${START_ENV.MALLOC_MMAP_THRESHOLD_}`);
    expect(dockerfile).toContain(
      `CMD [${['node', ...START_NODE_FLAGS, COMPILED_ENTRY].map((a) => JSON.stringify(a)).join(', ')}]`,
    );
    // Built on install too, so a fresh clone's `npm install` leaves a runnable dist/.
    expect(pkg.scripts.prepare).toBe('node scripts/check-node.cjs && npm run build');
    expect(pkg.dependencies.tsx).toBeUndefined();
  });

  it('migrates, seeds the demo, prints a curl line that works, and shuts down cleanly', async () => {
    const port = await freePort();
    const run = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    await run.waitFor('Server listening');
    // Ready: the migrations were found and applied; the contract files are served.
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
    const openapi = await fetch(`http://127.0.0.1:${port}/openapi.yaml`);
    expect(openapi.status).toBe(200);
    expect(await openapi.text()).toBe(readFileSync('openapi/promotions.yaml', 'utf8'));
    const out = run.output();
    expect(out).toContain('Demo data created');
    expect(out).toMatch(/client_secret=cs_[A-Za-z0-9_-]{43}/);
    expect(out).toContain('Admin API token');
    const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    expect(out).toContain(adminToken);

    // Run the printed curl line exactly as a newcomer would paste it.
    const curlLine = out
      .split('\n')
      .find((l) => l.trim().startsWith('curl -s -X POST') && l.includes('/v2/promotions'));
    expect(curlLine).toBeDefined();
    const response = execFileSync('sh', ['-c', `${curlLine!.trim()} -w '\\n%{http_code}'`], {
      encoding: 'utf8',
    });
    const [body, status] = response.trim().split('\n');
    expect(status).toBe('201');
    expect(JSON.parse(body!)).toEqual({
      enrollment_id: expect.stringMatching(/^demo_promotion:[0-9a-f-]{36}$/),
    });

    // The walk-through unenrolls the demo account, then enrolls it again: the demo promotion
    // allows re-enrollment (issue 28), so the same line works a second time.
    const userToken = /Bearer ([^']+)'/.exec(curlLine!)![1]!;
    const unenrolled = await fetch(
      `http://127.0.0.1:${port}/v2/promotions/${JSON.parse(body!).enrollment_id}`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${userToken}` },
      },
    );
    expect(unenrolled.status).toBe(204);
    const [again, againStatus] = execFileSync('sh', ['-c', `${curlLine!.trim()} -w '\\n%{http_code}'`], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    expect(againStatus).toBe('201');
    expect(JSON.parse(again!).enrollment_id).not.toBe(JSON.parse(body!).enrollment_id);

    // The client-credentials line works too.
    const tokenLine = out.split('\n').find((l) => l.includes('/oauth/token'));
    const tokenResponse = JSON.parse(execFileSync('sh', ['-c', tokenLine!.trim()], { encoding: 'utf8' }));
    expect(tokenResponse).toMatchObject({ token_type: 'Bearer', scope: 'promotions:read promotions:write' });

    // CONTRACT §11: the console's URL and its owner's sign-in are printed, and they work.
    const base = `http://127.0.0.1:${port}`;
    expect(out).toContain(`Operator console: ${base}/console`);
    const [, email, password] = /sign in as\s+(\S+)\s+password=(\S+)\s+\(owner\)/.exec(out) ?? [];
    expect(email).toBe('operator@example.com');
    const form = await fetch(`${base}/console/sign-in`);
    expect(form.status).toBe(200);
    const nonce = form.headers.getSetCookie()[0]!.split(';')[0]!;
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(await form.text())![1]!;
    const signedIn = await fetch(`${base}/console/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: nonce },
      body: new URLSearchParams({ csrf_token: csrf, email: email!, password: password! }),
    });
    expect(signedIn.status).toBe(303);
    const session = signedIn.headers
      .getSetCookie()
      .find((c) => c.startsWith('console_session='))!
      .split(';')[0]!;
    const promotions = await fetch(`${base}/console/promotions`, { headers: { cookie: session } });
    expect(promotions.status).toBe(200);
    expect(await promotions.text()).toContain('demo_promotion');

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('does not seed twice and keeps the data and the admin token across restarts', async () => {
    const port = await freePort();
    const run = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    await run.waitFor('Server listening');
    expect(run.output()).not.toContain('Demo data created');
    expect(run.output()).not.toContain('Admin API token');
    const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const res = await fetch(`http://127.0.0.1:${port}/admin/v1/promotions/demo_promotion`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: 'demo_promotion',
      allow_reenrollment: true,
      enrollments_count: 2,
    });
    // The admin CLI as the image runs it: compiled with the server, plain node, no tsx, the
    // token read from DATA_DIR/admin-token (issue 28).
    const cli = execFileSync(
      process.execPath,
      [
        'dist/clients/cli/admin.js',
        '--url',
        `http://127.0.0.1:${port}`,
        'promotions',
        'get',
        'demo_promotion',
        '--json',
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir } },
    );
    expect(JSON.parse(cli)).toMatchObject({ id: 'demo_promotion', allow_reenrollment: true });
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });

  it.each([
    [{ PORT: 'abc' }, 'configuration error: invalid PORT: must be a port number'],
    [
      { DATABASE_URL: 'mysql://x' },
      'configuration error: invalid DATABASE_URL: must be a URL (postgres: or postgresql:)',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'configuration error: invalid LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
    ],
    [
      { RATE_LIMIT_PER_HOUR: '-1' },
      'configuration error: invalid RATE_LIMIT_PER_HOUR: must be a positive integer',
    ],
    // A compose file's likely slip: new URL's TypeError stack before issue 28.
    [
      { PUBLIC_URL: '127.0.0.1:3000' },
      'configuration error: invalid PUBLIC_URL: must be a URL with its scheme (http: or https:), e.g. http://127.0.0.1:3000',
    ],
    [
      { HOST: 'http://0.0.0.0' },
      'configuration error: invalid HOST: must be a host name or an IP address (e.g. 127.0.0.1 or 0.0.0.0), not a URL',
    ],
  ])('refuses to start with %j in one clear line and exit code 1', async (env, line) => {
    const run = startServer({ DATA_DIR: dataDir, ...env });
    expect(await run.exit).toBe(1);
    expect(run.output().trim()).toBe(line);
  });

  it('mints a new admin token when its file is gone: printed once, the old one refused', async () => {
    const old = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    rmSync(join(dataDir, 'admin-token'));
    const port = await freePort();
    const run = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    await run.waitFor('Server listening');
    const fresh = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    expect(fresh).toMatch(/^adm_[A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe(old);
    expect(run.output()).toContain(
      `Admin API token (saved in ${join(dataDir, 'admin-token')}):\n  ${fresh}\n`,
    );
    expect(run.output()).not.toContain('Demo data created');
    const url = `http://127.0.0.1:${port}/admin/v1/promotions/demo_promotion`;
    expect((await fetch(url, { headers: { authorization: `Bearer ${fresh}` } })).status).toBe(200);
    expect((await fetch(url, { headers: { authorization: `Bearer ${old}` } })).status).toBe(401);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });
});

describe('a start that cannot listen (issue 28)', { timeout: 120_000 }, () => {
  it('ends in one line on a busy port and creates nothing: no data, no secrets printed', async () => {
    const port = await freePort();
    const squatter = createServer().listen(port, '127.0.0.1');
    await once(squatter, 'listening');
    const fresh = join(dataDir, 'never-created');
    try {
      const run = startServer({ DATA_DIR: fresh, PORT: String(port) });
      expect(await run.exit).toBe(1);
      expect(run.output().trim()).toBe(
        `startup error: port ${port} is already in use on 127.0.0.1 (another server running?): stop it or set PORT to a free port`,
      );
      expect(existsSync(fresh)).toBe(false);
    } finally {
      squatter.close();
    }
    // The next start on a free port is a first start: the demo and its secrets, shown once.
    const next = startServer({ DATA_DIR: fresh, PORT: String(port) });
    await next.waitFor('Server listening');
    expect(next.output()).toContain('Demo data created');
    expect(next.output()).toContain('Admin API token');
    next.child.kill('SIGTERM');
    expect(await next.exit).toBe(0);
  });

  it('ends in one line when HOST is not an address of this machine', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address.
    const fresh = join(dataDir, 'never-created-host');
    const run = startServer({ DATA_DIR: fresh, HOST: '192.0.2.1', PORT: '3000' });
    expect(await run.exit).toBe(1);
    expect(run.output().trim()).toBe(
      'startup error: HOST=192.0.2.1 is not an address of this machine: use 127.0.0.1, 0.0.0.0 (every interface) or one of its own addresses',
    );
    expect(existsSync(fresh)).toBe(false);
  });
});
