// README "Running it in your CI", run for real: the compiled server (what `npm start` runs)
// started as the GitHub Actions job starts it — SEED_FILE=examples/ci/seed.yaml and the job's
// variables, no other step — then the partner's tests (examples/ci/partner-tests.sh) against
// the declared credentials: a client_credentials token for the declared client and an
// enrollment into the declared promotion. Also checks that the README quotes the example files
// verbatim and that the job and the compose file set every variable the seed file names.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { backend, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { buildCompiledServer, freePort, type ServerProcess, startServer } from '../helpers/processes.js';

const SEED = 'examples/ci/seed.yaml';
const WORKFLOW = 'examples/ci/github-actions.yml';
const COMPOSE = 'examples/ci/docker-compose.yml';

type Json = Record<string, unknown>;
const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as { jobs: Record<string, Json> };
const job = workflow.jobs['contract-tests'] as { env: Record<string, string>; steps: Json[] };
const compose = parse(readFileSync(COMPOSE, 'utf8')) as { services: Record<string, Json> };
/** The variables the seed file names (`…_env`), in the file's order. */
const seedVariables = [...readFileSync(SEED, 'utf8').matchAll(/_env: ([A-Z_]+)/g)].map((m) => m[1]!);

function run(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [script],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('README "Running it in your CI"', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'promotions-ci-'));
  let db: TestDatabase | undefined;
  let server: ServerProcess;
  let base: string;

  beforeAll(async () => {
    buildCompiledServer();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // On PostgreSQL private webhook URLs are off by default; the example's receiver is on loopback.
    db = backend === 'pg' ? await createTestDatabase() : undefined;
    const database: Record<string, string> = db
      ? { DATABASE_URL: db.url!, WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }
      : {};
    server = startServer(
      {
        ...job.env,
        PROMOTIONS_URL: base,
        SEED_FILE: SEED,
        PORT: String(port),
        DATA_DIR: dataDir,
        ...database,
      },
      { compiled: true },
    );
    await server.waitFor('Server listening');
  }, 180_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exit;
    }
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts with the declared objects and runs the partner's tests with no step in between", async () => {
    const result = await run('examples/ci/partner-tests.sh', {
      PROMOTIONS_URL: base,
      ACME_CLIENT_SECRET: job.env.ACME_CLIENT_SECRET!,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      '✓ 1. 200  app token for acme-ci by client credentials',
      '✓ 2. 201  a test clock at the current time',
      '✓ 3. 201  a test account on the clock, with a user token',
      '✓ 4. 201  enroll it into acme_ci_promotion',
      '✓ 5. 200  read the enrollment',
      '✓ 6. 204  delete the clock (its account and enrollment go with it)',
      'All 6 steps answered as expected.',
    ]);
    // One summary line of counts, no demo data, and none of the secrets in the output.
    const applied = server
      .output()
      .split('\n')
      .filter((l) => l.includes('"seed file applied"'))
      .map((l) => JSON.parse(l));
    expect(applied).toEqual([
      expect.objectContaining({
        seed_file: SEED,
        created: 4,
        updated: 0,
        unchanged: 0,
        deleted: 0,
        ended: 0,
        kept: 0,
      }),
    ]);
    expect(server.output()).not.toContain('Demo data created');
    for (const name of seedVariables) expect(server.output()).not.toContain(job.env[name]!);
  });

  it('the job sets every variable the seed file names, and starts the server as the README says', () => {
    expect(seedVariables).toEqual(['ACME_CLIENT_SECRET', 'ACME_USER_PASSWORD', 'ACME_WEBHOOK_SECRET']);
    for (const name of seedVariables) expect(Object.keys(job.env)).toContain(name);
    const runs = job.steps.map((s) => String(s.run ?? ''));
    expect(runs.some((r) => r.includes('SEED_FILE=examples/ci/seed.yaml npm start'))).toBe(true);
    expect(runs.at(-1)).toBe('promotions-server/examples/ci/partner-tests.sh');
    expect(job.steps.find((s) => String(s.run ?? '').includes('npm start'))?.['working-directory']).toBe(
      'promotions-server',
    );
  });

  it('the compose file mounts the seed file where SEED_FILE points and passes its variables through', () => {
    const service = compose.services.promotions as {
      build: string;
      environment: Record<string, string>;
      volumes: string[];
      healthcheck: { test: string[] };
    };
    expect(service.build).toBe('../..');
    expect(service.volumes).toEqual([`./seed.yaml:${service.environment.SEED_FILE}:ro`]);
    for (const name of seedVariables) expect(service.environment[name]).toBe(`\${${name}:?set ${name}}`);
    expect(service.environment.PUBLIC_URL).toBe('http://127.0.0.1:3000');
    expect(service.healthcheck.test.join(' ')).toContain('http://127.0.0.1:3000/readyz');
  });

  it("the compose file's container reaches the seeded webhook URL on the host, not itself (issue 28)", () => {
    const service = compose.services.promotions as Record<string, unknown> & {
      environment: Record<string, string>;
    };
    const seed = parse(readFileSync(SEED, 'utf8')) as { webhook_endpoints: { url: string }[] };
    // The seeded receiver is on loopback: the host's only when the container shares its network.
    expect(seed.webhook_endpoints.map((e) => new URL(e.url).hostname)).toEqual(['127.0.0.1']);
    expect(service.network_mode).toBe('host');
    expect(service.ports).toBeUndefined();
    expect(service.environment.HOST).toBe('127.0.0.1');
    expect(service.environment.PORT).toBe('3000');
  });

  it('is quoted verbatim in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf('## Running it in your CI');
    expect(start).toBeGreaterThan(-1);
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toEqual([
      readFileSync(SEED, 'utf8'),
      readFileSync(COMPOSE, 'utf8'),
      readFileSync(WORKFLOW, 'utf8'),
    ]);
  });
});
