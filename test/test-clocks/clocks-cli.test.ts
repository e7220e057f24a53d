import { describe, expect, it } from 'vitest';
import { run } from '../../clients/cli/admin.js';
import { listen } from '../clients/helpers.js';
import { ADMIN_TOKEN, useTestApp } from '../helpers/app.js';

/** One CLI invocation in-process, its exit code and output. */
async function cli(baseUrl: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(
    args,
    { PROMOTIONS_URL: baseUrl, ADMIN_TOKEN, DATA_DIR: '/nonexistent' },
    {
      out: (t) => {
        stdout += `${t}\n`;
      },
      err: (t) => {
        stderr += `${t}\n`;
      },
    },
  );
  return { code, stdout, stderr };
}

describe('admin CLI: sandbox partners and clocks create|advance|delete', () => {
  const ctx = useTestApp();

  it('creates a sandbox partner, then a clock, an account on it, advances and deletes it', async () => {
    const url = await listen(ctx.app);
    const partner = await cli(url, [
      'partners',
      'create',
      '--name',
      'CI sandbox',
      '--redirect-uri',
      'https://ci.example/cb',
      '--sandbox',
      '--json',
    ]);
    expect(partner.stderr).toBe('');
    expect(partner.code).toBe(0);
    const p = JSON.parse(partner.stdout);
    expect(p.sandbox).toBe(true);
    const clientId = p.client_id as string;

    const created = await cli(url, [
      'clocks',
      'create',
      '--client-id',
      clientId,
      '--frozen-time',
      '2026-01-31T10:00:00Z',
      '--name',
      'nightly',
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const id = /^id\s+(clock_\S+)$/m.exec(created.stdout)?.[1];
    expect(created.stdout).toBe(
      `id           ${id}\nfrozen_time  2026-01-31T10:00:00Z\nname         nightly\nstatus       ready\ncreated_at   2026-04-28T10:00:00Z\n`,
    );

    const account = await cli(url, ['clocks', 'account', id!, '--client-id', clientId, '--json']);
    expect(account.code).toBe(0);
    expect(JSON.parse(account.stdout)).toMatchObject({ scope: 'promotions:read promotions:write' });

    const advanced = await cli(url, [
      'clocks',
      'advance',
      id!,
      '--client-id',
      clientId,
      '--frozen-time',
      '2026-02-28T10:00:00Z',
      '--json',
    ]);
    expect(advanced.code).toBe(0);
    expect(JSON.parse(advanced.stdout)).toMatchObject({
      id,
      frozen_time: '2026-02-28T10:00:00Z',
      status: 'ready',
    });

    const back = await cli(url, [
      'clocks',
      'advance',
      id!,
      '--client-id',
      clientId,
      '--frozen-time',
      '2026-01-01T00:00:00Z',
    ]);
    expect(back.code).toBe(1);
    expect(back.stderr).toBe(
      "error: frozen_time must not be earlier than the clock's current time (2026-02-28T10:00:00Z): clocks only move forward. (--frozen-time)\n  400 invalid_request\n",
    );

    const listed = await cli(url, ['clocks', 'list', '--client-id', clientId]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${id}  2026-02-28T10:00:00Z  ready   nightly`);

    const deleted = await cli(url, ['clocks', 'delete', id!, '--client-id', clientId]);
    expect(deleted).toEqual({ code: 0, stdout: `deleted ${id}\n`, stderr: '' });
    const again = await cli(url, ['clocks', 'delete', id!, '--client-id', clientId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('404 test_clock_not_found');

    const missing = await cli(url, ['clocks', 'create', '--client-id', clientId]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--frozen-time is required');
  });

  it('refuses clocks to a live partner (403) and says so', async () => {
    const url = await listen(ctx.app);
    const live = await ctx.fixtures.partner();
    const res = await cli(url, [
      'clocks',
      'create',
      '--client-id',
      live.clientId,
      '--frozen-time',
      '2026-01-31T10:00:00Z',
    ]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'error: Test helpers are only for sandbox partners; this partner is live (ask for a sandbox partner).\n  403 permission_denied\n',
    );
  });
});
