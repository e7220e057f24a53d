// CONTRACT §11 from a shell: the first operator is created with ADMIN_TOKEN, gets a key, and
// that key (a viewer's here) reads but is refused a change, which the audit log shows.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listen } from '../clients/helpers.js';
import { ADMIN_TOKEN, useTestApp } from '../helpers/app.js';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'clients/cli/admin.ts', ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('admin CLI: operators, keys and the audit log', { timeout: 180_000 }, () => {
  const ctx = useTestApp();

  it('creates an operator and a key, uses the key, is refused a write, and lists the audit log', async () => {
    const url = await listen(ctx.app);
    const asToken = { PROMOTIONS_URL: url, ADMIN_TOKEN };
    const created = await cli(
      [
        'operators',
        'create',
        '--email',
        'ada@example.com',
        '--password',
        'a long passphrase',
        '--role',
        'viewer',
        '--json',
      ],
      asToken,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const operator = JSON.parse(created.stdout) as { id: string };

    const key = await cli(['keys', 'create', '--operator', operator.id, '--name', 'laptop'], asToken);
    expect(key.code).toBe(0);
    const value = /^key\s+(adk_\S+)$/m.exec(key.stdout)?.[1];
    expect(value).toMatch(/^adk_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(key.stdout).toContain('The key is shown only now');

    const asViewer = { PROMOTIONS_URL: url, ADMIN_TOKEN: value! };
    const list = await cli(['partners', 'list'], asViewer);
    expect(list.code).toBe(0);
    expect(list.stdout).toBe('ID  NAME  CLIENT ID  SANDBOX\n──  ────  ─────────  ───────\n');

    const refused = await cli(
      ['accounts', 'create', '--email', 'someone@example.com', '--password', 'another password'],
      asViewer,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      [
        'error: This action needs the editor role; the caller has the viewer role.',
        '  403 permission_denied',
        'hint: ask an owner for a key with a higher role (npm run admin -- keys create …)',
        '',
      ].join('\n'),
    );

    const audit = await cli(['audit', 'list', '--action', 'api_key.created', '--json'], asViewer);
    expect(audit.code).toBe(0);
    const page = JSON.parse(audit.stdout) as { data: Array<{ object_id: string; actor: { kind: string } }> };
    expect(page.data).toHaveLength(1);
    expect(page.data[0]!.actor.kind).toBe('admin_token');
    expect(value).toContain(page.data[0]!.object_id);

    const revoked = await cli(
      ['keys', 'revoke', page.data[0]!.object_id, '--operator', operator.id],
      asToken,
    );
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(`Revoked ${page.data[0]!.object_id}.\n`);
    const after = await cli(['partners', 'list'], asViewer);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('401 not_authenticated');
  });

  it('rotates a partner secret, printed once', async () => {
    const env = { PROMOTIONS_URL: await listen(ctx.app), ADMIN_TOKEN };
    const partner = await ctx.fixtures.partner();
    const rotated = await cli(['partners', 'rotate-secret', partner.id, '--json'], env);
    expect(rotated.code).toBe(0);
    const body = JSON.parse(rotated.stdout) as { id: string; client_secret: string };
    expect(body.id).toBe(partner.id);
    expect(body.client_secret).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);
    expect(body.client_secret).not.toBe(partner.clientSecret);
  });
});
