// `npm run admin -- apply -f <file> [--plan]` (CONTRACT §10): the file is read and validated on
// the operator's machine with its environment's secrets, then applied by the server. Exit 0
// with one line per object; a file that fails validation prints its lines and exits 1.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../clients/helpers.js';
import { ADMIN_TOKEN, useTestApp } from '../helpers/app.js';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const dir = mkdtempSync(join(tmpdir(), 'apply-cli-'));
// Markers no generated value contains.
const SECRETS = {
  ACME_CLIENT_SECRET: 'cs~cli!apply-client-secret',
  ACME_USER_PASSWORD: 'pw~cli!apply-password',
  ACME_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 5).toString('base64')}`,
};

function cli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'clients/cli/admin.ts', ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dir, ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

function expectNoSecret(result: CliResult) {
  for (const secret of Object.values(SECRETS)) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

/** The CLI's table of the four objects of examples/ci/seed.yaml, all with one outcome. */
const TABLE = (outcome: string) => [
  `OBJECT            NAME                                    ${'OUTCOME'.padEnd(outcome.length)}  DETAIL`,
  `────────────────  ──────────────────────────────────────  ${'─'.repeat(Math.max(7, outcome.length))}  ──────`,
  `partner           acme-ci                                 ${outcome}`,
  `account           ci-user@acme.example                    ${outcome}`,
  `promotion         acme_ci_promotion                       ${outcome}`,
  `webhook endpoint  acme-ci http://127.0.0.1:4000/webhooks  ${outcome}`,
];

describe('admin CLI: apply', { timeout: 180_000 }, () => {
  const ctx = useTestApp();
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { PROMOTIONS_URL: await listen(ctx.app), ADMIN_TOKEN, ...SECRETS };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--plan prints what would change and changes nothing', async () => {
    const result = await cli(['apply', '-f', 'examples/ci/seed.yaml', '--plan'], env);
    expectNoSecret(result);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'Plan for examples/ci/seed.yaml (nothing was changed):',
      ...TABLE('created'),
      '',
      'Would be: 4 created.',
      '',
    ]);
    expect(
      (await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/acme_ci_promotion' })).statusCode,
    ).toBe(404);
  });

  it('applies the file, and applying it again changes nothing', async () => {
    const first = await cli(['apply', '--file', 'examples/ci/seed.yaml'], env);
    expectNoSecret(first);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n')).toEqual([
      'Applied examples/ci/seed.yaml:',
      ...TABLE('created'),
      '',
      'Done: 4 created.',
      '',
    ]);
    const second = await cli(['apply', '-f', 'examples/ci/seed.yaml'], env);
    expect(second.code).toBe(0);
    expect(second.stdout.split('\n').slice(-3)).toEqual(['', 'Done: 4 unchanged.', '']);

    // A secret changed in the operator's environment is an update, named by its field only.
    const changed = await cli(['apply', '-f', 'examples/ci/seed.yaml', '--json'], {
      ...env,
      ACME_USER_PASSWORD: 'pw~cli!a-new-password',
    });
    expect(changed.code).toBe(0);
    expect(changed.stdout).not.toContain('pw~cli!a-new-password');
    expect(JSON.parse(changed.stdout).changes[1]).toEqual({
      kind: 'account',
      key: 'ci-user@acme.example',
      path: 'accounts[0]',
      outcome: 'updated',
      fields: ['password'],
      detail: null,
    });
  });

  it('prints every problem of an invalid file and exits 1, sending nothing', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `partners:
  - client_id: acme-ci-2
    name: Acme
    client_secret_env: UNSET_SECRET
    redirect_uris: [http://127.0.0.1:4000/callback]
promotions:
  - { id: a, partner: acme-ci-2, name: A }
  - { id: b, partner: acme-ci-2, name: B }
  - { id: c, partner: acme-ci-2, name: C, duration_days: 0 }
`,
    );
    const result = await cli(['apply', '-f', file], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        `error: ${file}: 2 problems, nothing was changed`,
        '  partners[0].client_secret_env: the environment variable UNSET_SECRET is not set',
        '  promotions[2].duration_days: must be a positive integer',
        '',
      ].join('\n'),
    );
  });

  it("prints the server's conflicts the same way and exits 1", async () => {
    const file = join(dir, 'conflict.yaml');
    writeFileSync(file, 'promotions:\n  - { id: elsewhere, partner: no-such-partner, name: E }\n');
    const result = await cli(['apply', '-f', file, '--plan'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        `error: ${file}: 1 problem, nothing was changed`,
        '  promotions[0].partner: no partner has the client_id no-such-partner: declare it under partners',
        '',
      ].join('\n'),
    );
  });

  it('needs -f', async () => {
    const result = await cli(['apply'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: --file is required\nUsage: npm run admin -- apply -f <file.yaml> [--plan]\n',
    );
  });
});
