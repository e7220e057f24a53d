// SEED_FILE at start (CONTRACT §10): applied after the migrations, before listening, with one
// summary line of counts; the same file at the next start changes nothing; a bad file stops
// the start with its problem lines and exit 1 (like a bad config value) and changes nothing.
// The real entry point, on the backend of the run (embedded store, or PostgreSQL).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { freePort, startServer } from '../helpers/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'seed-file-'));
const SECRETS = {
  ACME_CLIENT_SECRET: 'cs~seed!client-secret-0001',
  ACME_USER_PASSWORD: 'pw~seed!password',
  ACME_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 3).toString('base64')}`,
};
let db: TestDatabase | undefined;
let storage: Record<string, string>;

beforeAll(async () => {
  db = backend === 'pg' ? await createTestDatabase() : undefined;
  // The example's webhook receiver is on loopback: allowed by default only with the embedded store.
  storage = db
    ? { DATABASE_URL: db.url!, WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }
    : { DATA_DIR: join(dir, 'data') };
});
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function start(seedFile: string, env: Record<string, string> = SECRETS) {
  const port = await freePort();
  return startServer({ ...storage, ...env, SEED_FILE: seedFile, PORT: String(port) });
}

/** Starts, waits for the listener, returns the seed summary line and the output, and stops. */
async function startAndStop(seedFile: string) {
  const run = await start(seedFile);
  await run.waitFor('Server listening');
  const token = await fetch(`${run.url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`acme-ci:${SECRETS.ACME_CLIENT_SECRET}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  run.child.kill('SIGTERM');
  expect(await run.exit).toBe(0);
  const lines = run.output().split('\n');
  const summary = lines.filter((l) => l.includes('"seed file applied"')).map((l) => JSON.parse(l));
  return { summary, output: run.output(), tokenStatus: token.status };
}

const counts = (summary: Record<string, unknown>[]) =>
  summary.map(({ created, updated, unchanged, deleted, ended, kept }) => ({
    created,
    updated,
    unchanged,
    deleted,
    ended,
    kept,
  }));

describe('SEED_FILE', { timeout: 180_000 }, () => {
  it('stops a start with a file the database refuses, naming it, and changes nothing', async () => {
    // Valid, but promotions[0] names a partner that exists nowhere: the partner declared
    // beside it must not be created either (one transaction).
    const refused = file(
      'refused.yaml',
      `partners:
  - client_id: acme-ci
    name: Acme
    client_secret_env: ACME_CLIENT_SECRET
    redirect_uris: [http://127.0.0.1:4000/callback]
promotions:
  - { id: p, partner: nobody, name: P }
`,
    );
    const run = await start(refused);
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain(
      `seed file error: ${refused}: 1 problem, nothing was changed\n` +
        '  promotions[0].partner: no partner has the client_id nobody: declare it under partners\n',
    );
    expect(run.output()).not.toContain('Server listening');
  });

  it('applies the file before listening, then changes nothing at the next start', async () => {
    const first = await startAndStop('examples/ci/seed.yaml');
    // Created now, so the refused start before changed nothing.
    expect(counts(first.summary)).toEqual([
      { created: 4, updated: 0, unchanged: 0, deleted: 0, ended: 0, kept: 0 },
    ]);
    expect(first.summary[0]).toMatchObject({ level: 30, seed_file: 'examples/ci/seed.yaml' });
    expect(first.tokenStatus).toBe(200);
    expect(first.output.indexOf('"seed file applied"')).toBeLessThan(
      first.output.indexOf('Server listening'),
    );
    // No demo data beside a seed file.
    expect(first.output).not.toContain('Demo data created');

    const second = await startAndStop('examples/ci/seed.yaml');
    expect(counts(second.summary)).toEqual([
      { created: 0, updated: 0, unchanged: 4, deleted: 0, ended: 0, kept: 0 },
    ]);
    for (const secret of Object.values(SECRETS)) {
      expect(first.output).not.toContain(secret);
      expect(second.output).not.toContain(secret);
    }
  });

  it('stops with the validation lines and exit 1, never a stack trace', async () => {
    const bad = file(
      'bad.yaml',
      `partners:
  - client_id: acme-ci
    name: Acme
    client_secret_env: NOT_SET_ANYWHERE
    redirect_uris: [http://127.0.0.1:4000/callback]
promotions:
  - { id: a, partner: acme-ci, name: A }
  - { id: b, partner: acme-ci, name: B }
  - { id: c, partner: acme-ci, name: C, duration_days: 0 }
`,
    );
    const run = await start(bad);
    expect(await run.exit).toBe(1);
    expect(run.output()).toBe(
      `seed file error: ${bad}: 2 problems, nothing was changed\n` +
        '  partners[0].client_secret_env: the environment variable NOT_SET_ANYWHERE is not set\n' +
        '  promotions[2].duration_days: must be a positive integer\n',
    );
  });

  it('stops with one line when the file cannot be read', async () => {
    const missing = join(dir, 'missing.yaml');
    const run = await start(missing);
    expect(await run.exit).toBe(1);
    expect(run.output()).toBe(`seed file error: cannot read ${missing}: ENOENT\n`);
  });
});
