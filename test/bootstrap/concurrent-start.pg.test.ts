// CONTRACT §10 on PostgreSQL: instances starting together with one bootstrap file take turns
// under an advisory lock, so they never conflict (two creating the same partner would break
// its unique client_id); the later ones find everything unchanged.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBootstrapFile } from '../../src/bootstrap/parse.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { freePort, sleep, startServer } from '../helpers/processes.js';

const SECRETS = {
  ACME_CLIENT_SECRET: 'cs~concurrent!client-secret',
  ACME_USER_PASSWORD: 'pw~concurrent!password',
  ACME_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 4).toString('base64')}`,
};

describe('the bootstrap lock', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let ctx: TestContext;
  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = await createTestApp({ database: db });
  });
  afterAll(async () => {
    await ctx.app.close();
    await db.drop();
  });

  it('makes an apply wait while another holds it', async () => {
    const { document } = parseBootstrapFile(readFileSync('examples/ci/seed.yaml', 'utf8'), SECRETS);
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select pg_advisory_xact_lock(7241502)');
      let settled = false;
      const applying = ctx.app.bootstrapService.apply(document, { dryRun: false }).finally(() => {
        settled = true;
      });
      // The apply's connection shows up waiting for the advisory lock.
      for (;;) {
        const { rows } = await holder.query(
          `select count(*)::int as n from pg_locks
           where locktype = 'advisory' and objid = 7241502 and not granted
             and database = (select oid from pg_database where datname = current_database())`,
        );
        if (rows[0].n === 1 || settled) break;
        await sleep(20);
      }
      expect(settled).toBe(false);
      await holder.query('commit');
      expect((await applying).summary).toMatchObject({ created: 4 });
    } finally {
      await holder.end();
    }
  });
});

describe('two instances starting together with one file', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('both start; one creates, the other finds it all unchanged', async () => {
    const env = {
      ...SECRETS,
      DATABASE_URL: db.url!,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      SEED_FILE: 'examples/ci/seed.yaml',
    };
    const runs = [
      startServer({ ...env, PORT: String(await freePort()) }),
      startServer({ ...env, PORT: String(await freePort()) }),
    ];
    try {
      await Promise.all(runs.map((r) => r.waitFor('Server listening')));
      const created = runs
        .map((r) =>
          r
            .output()
            .split('\n')
            .find((l) => l.includes('"seed file applied"')),
        )
        .map((line) => JSON.parse(line!) as { created: number; unchanged: number })
        .map(({ created: c, unchanged }) => [c, unchanged])
        .sort();
      expect(created).toEqual([
        [0, 4],
        [4, 0],
      ]);
    } finally {
      for (const run of runs) run.child.kill('SIGTERM');
      expect(await Promise.all(runs.map((r) => r.exit))).toEqual([0, 0]);
    }
  });
});
