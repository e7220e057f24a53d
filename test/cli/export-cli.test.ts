import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../clients/helpers.js';
import { ADMIN_TOKEN, useTestApp } from '../helpers/app.js';
import { requestsFor } from '../helpers/requests.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-export-'));

/** Runs `npm run admin -- …` the way npm does (tsx), as a child process. */
function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'clients/cli/admin.ts', ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dir, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('npm run admin -- export', { timeout: 180_000 }, () => {
  const ctx = useTestApp();
  let env: Record<string, string>;

  beforeAll(async () => {
    env = { PROMOTIONS_URL: await listen(ctx.app), ADMIN_TOKEN };
    const partner = await ctx.fixtures.partner();
    const promotion = await ctx.fixtures.promotion(partner.id, { id: 'cli_export' });
    const requests = requestsFor(ctx, () => partner);
    for (let i = 0; i < 3; i++) {
      const { enrollmentId } = await requests.enrollNew(promotion);
      expect((await requests.usage(enrollmentId, { tasks: i + 1 })).statusCode).toBe(200);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the CSV to -o file, and NDJSON to stdout, byte for byte what the API answers', async () => {
    const file = join(dir, 'enrollments.csv');
    const saved = await cli(['export', 'enrollments', 'cli_export', '-o', file], env);
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    const api = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/cli_export/enrollments.csv' });
    expect(saved.stdout).toBe(`Wrote ${Buffer.byteLength(api.body)} bytes to ${file}\n`);
    expect(readFileSync(file, 'utf8')).toBe(api.body);
    expect(existsSync(`${file}.partial`)).toBe(false);

    const piped = await cli(
      ['export', 'usage', 'cli_export', '--format', 'ndjson', '--cycle', '2026-04'],
      env,
    );
    expect(piped.stderr).toBe('');
    expect(piped.code).toBe(0);
    const usage = await ctx.admin({
      method: 'GET',
      url: '/admin/v1/promotions/cli_export/usage.ndjson?cycle=2026-04',
    });
    expect(piped.stdout).toBe(usage.body);
    expect(piped.stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  it('refuses a bad format (exit 2) and answers an unknown promotion with the API error (exit 1)', async () => {
    const bad = await cli(['export', 'enrollments', 'cli_export', '--format', 'xlsx'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'error: --format must be csv or ndjson, not "xlsx"\nUsage: npm run admin -- export enrollments <promotion_id> [--format csv|ndjson] [--status enrolled|expired|unenrolled] [-o file]\n',
    );
    const file = join(dir, 'missing.csv');
    const missing = await cli(['export', 'usage', 'nope', '-o', file], env);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('error: The requested promotion was not found.\n  404 promotion_not_found\n');
    expect(existsSync(file)).toBe(false);
  });
});
