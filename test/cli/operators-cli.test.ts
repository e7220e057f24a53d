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
    expect(list.stdout).toBe('ID  NAME  CLIENT ID  SANDBOX  STATUS\n──  ────  ─────────  ───────  ──────\n');

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

  it('changes, disables and enables a partner', async () => {
    const env = { PROMOTIONS_URL: await listen(ctx.app), ADMIN_TOKEN };
    const partner = await ctx.fixtures.partner({ name: 'Before' });
    const updated = await cli(
      [
        'partners',
        'update',
        partner.id,
        '--name',
        'After',
        '--redirect-uri',
        'https://x.example/cb',
        '--json',
      ],
      env,
    );
    expect(updated.stderr).toBe('');
    expect(JSON.parse(updated.stdout)).toMatchObject({
      id: partner.id,
      name: 'After',
      redirect_uris: ['https://x.example/cb'],
      status: 'enabled',
    });
    const disabled = await cli(['partners', 'disable', partner.id], env);
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toMatch(/^status\s+disabled$/m);
    expect((await ctx.app.partnerService.getPartner(partner.id)).status).toBe('disabled');
    const enabled = await cli(['partners', 'enable', partner.id, '--json'], env);
    expect(JSON.parse(enabled.stdout).status).toBe('enabled');
    const nothing = await cli(['partners', 'update', partner.id], env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('give --name, --redirect-uri or --scope');
  });

  it("resets an operator's password (printed once), which they change with their key", async () => {
    const env = { PROMOTIONS_URL: await listen(ctx.app), ADMIN_TOKEN };
    const operator = await ctx.app.operatorService.createOperator({
      email: 'cli-reset@example.com',
      password: 'the first passphrase',
      role: 'viewer',
    });
    const { key } = await ctx.app.operatorService.createApiKey(operator.id, { name: 'cli' });
    const reset = await cli(['operators', 'reset-password', operator.id], env);
    expect(reset.code).toBe(0);
    const temporary = /^temporary_password\s+(\S+)$/m.exec(reset.stdout)?.[1];
    expect(temporary).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(reset.stdout).toMatch(/^must_change_password\s+true$/m);
    const changed = await cli(
      [
        'operators',
        'password',
        '--current-password',
        temporary!,
        '--new-password',
        'my own passphrase',
        '--json',
      ],
      { PROMOTIONS_URL: env.PROMOTIONS_URL, ADMIN_TOKEN: key },
    );
    expect(changed.stderr).toBe('');
    expect(JSON.parse(changed.stdout)).toMatchObject({ id: operator.id, must_change_password: false });
    expect(
      await ctx.app.operatorService.verifyPassword('cli-reset@example.com', 'my own passphrase'),
    ).not.toBeNull();
  });
});
