import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listen } from '../clients/helpers.js';
import { ADMIN_TOKEN, useTestApp } from '../helpers/app.js';

function runScript(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['examples/curl.sh'],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: '/nonexistent', ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('examples/curl.sh', { timeout: 120_000 }, () => {
  const ctx = useTestApp();

  it('walks through the README against a live server, every status as expected', async () => {
    const result = await runScript({ BASE: await listen(ctx.app), ADMIN_TOKEN });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(
      lines.filter((l) => l.startsWith('✓')).map((l) => l.replace(/ promotion curl_sh_\S+/, '')),
    ).toEqual([
      '✓ 1. 201  admin: register a partner',
      '✓ 2. 201  admin: create an account',
      '✓ 3. 201  admin: create',
      '✓ 4. 201  admin: mint a user token for the account',
      '✓ 5. 201  enroll the account (user token)',
      '✓ 6. 200  read the enrollment',
      '✓ 7. 409  enrolling again is refused (already_enrolled)',
      '✓ 8. 200  app token by client credentials',
      '✓ 9. 204  unenroll (app token)',
      '✓ 10. 404  the enrollment is gone',
    ]);
    expect(lines).toContain('     expires 2026-07-26T23:59:59Z, billing cycle ends 2026-05-28T10:00:00Z');
    expect(lines.at(-1)).toBe('All 10 steps answered as expected.');
  });

  it('exits 1 on the first unexpected status, saying which', async () => {
    const result = await runScript({ BASE: await listen(ctx.app), ADMIN_TOKEN: 'not-the-admin-token' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      '✗ step 1 (admin: register a partner): expected HTTP 201, got 401\n' +
        '{"errors":[{"status":"401","code":"not_authenticated","title":"User Not Authenticated","detail":"The admin token is invalid."}]}\n',
    );
  });
});
