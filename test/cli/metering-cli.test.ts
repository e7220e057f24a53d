// The metering commands of the admin CLI (CONTRACT §12) against a listening server: `usage
// ingest` streaming a file in batches (totals, progress, the rejected file, exit codes, a second
// run all duplicate), `entitlements`, external ids on `accounts` and `keys create --role meter`.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../clients/cli/admin.js';
import { listen } from '../clients/helpers.js';
import { ADMIN_TOKEN, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { meteringFor } from '../metering/helpers.js';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const dir = mkdtempSync(join(tmpdir(), 'cli-metering-'));

/** Runs `npm run admin -- …` the way npm does (tsx), as a child process. */
function cli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'clients/cli/admin.ts', ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dir, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const ndjson = (lines: unknown[]) =>
  lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');

describe('admin CLI: metering', { timeout: 240_000 }, () => {
  const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
  let partner: PartnerFixture;
  let env: Record<string, string>;
  const m = meteringFor(ctx, () => partner);

  beforeAll(async () => {
    partner = await ctx.fixtures.partner();
    env = { PROMOTIONS_URL: await listen(ctx.app), ADMIN_TOKEN };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ingests 5,000 events in batches with totals and progress, and a second run of the file is all duplicate', async () => {
    const promotion = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 300 });
    const accounts: Awaited<ReturnType<typeof m.account>>[] = [];
    for (let i = 0; i < 10; i++) accounts.push(await m.account([promotion]));
    // 500 one-task events per account, by account id and external id in turn: 300 sponsored, 200 not.
    const events = Array.from({ length: 5000 }, (_, i) => {
      const a = accounts[i % 10]!;
      return i % 2 === 0
        ? { id: `big-${i}`, account_id: a.accountId, tasks: 1 }
        : { id: `big-${i}`, external_account_id: a.externalId, tasks: 1 };
    });
    const file = join(dir, 'big.ndjson');
    writeFileSync(file, `${ndjson(events)}\n`);
    const rejected = join(dir, 'big-rejected.ndjson');

    const totals = (recorded: string, duplicate: string) =>
      [
        'events             5,000',
        `recorded           ${recorded}`,
        `duplicate          ${duplicate}`,
        'rejected           0',
        'sponsored tasks    3,000',
        'unsponsored tasks  2,000',
        '',
      ].join('\n');
    const first = await cli(
      ['usage', 'ingest', '-f', file, '--batch-size', '500', '--rejected', rejected],
      env,
    );
    expect(first.stdout).toBe(totals('5,000', '0'));
    expect(first.code).toBe(0);
    // Not a terminal: plain progress lines, the last one at 100 % with the totals so far.
    const progress = first.stderr.trimEnd().split('\n');
    expect(progress.at(-1)).toMatch(/^100% {2}5,000 events {2}[\d,]+ events\/s {2}ETA 0:00 {2}rejected 0$/);
    expect(first.stderr).not.toContain('\r');
    expect(readFileSync(rejected, 'utf8')).toBe('');
    for (const a of accounts) expect(await m.usedNow(a.enrollments[0]!)).toBe(300);

    const again = await cli(
      ['usage', 'ingest', '-f', file, '--batch-size', '500', '--rejected', rejected],
      env,
    );
    expect(again.stdout).toBe(totals('0', '5,000'));
    expect(again.code).toBe(0);
    for (const a of accounts) expect(await m.usedNow(a.enrollments[0]!)).toBe(300);
  });

  it('writes each rejected event with its line and error, goes on past a malformed line and exits 1', async () => {
    const promotion = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 10 });
    const a = await m.account([promotion]);
    const file = join(dir, 'mixed.ndjson');
    writeFileSync(
      file,
      `${ndjson([
        { id: 'mixed-1', external_account_id: a.externalId, tasks: 4 },
        '{"id": "mixed-2", "tasks": ',
        '',
        { id: 'mixed-3', external_account_id: 'nobody-has-this', tasks: 1 },
        '[1, 2]',
        { id: 'mixed-4', account_id: a.accountId, tasks: 0 },
        { id: 'mixed-1', external_account_id: a.externalId, tasks: 5 },
        { id: 'mixed-5', account_id: a.accountId, tasks: 9 },
      ])}\r\n`,
    );
    const result = await cli(['usage', 'ingest', '-f', file, '--batch-size', '2'], env);
    const rejectedFile = join(dir, 'mixed.rejected.ndjson');
    expect(result.stdout).toBe(
      [
        'events             7',
        'recorded           2',
        'duplicate          0',
        `rejected           5 (see ${rejectedFile})`,
        'sponsored tasks    10',
        'unsponsored tasks  3',
        '',
      ].join('\n'),
    );
    expect(result.code).toBe(1);
    const lines = readFileSync(rejectedFile, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual([
      {
        line: 2,
        event: '{"id": "mixed-2", "tasks": ',
        error: {
          code: 'malformed_line',
          title: 'Malformed Line',
          detail: expect.stringMatching(/^Line 2 is not JSON \(.+\)\.$/),
        },
      },
      {
        line: 4,
        event: { id: 'mixed-3', external_account_id: 'nobody-has-this', tasks: 1 },
        error: {
          code: 'account_not_found',
          title: 'Account Not Found',
          detail: 'No account has this external_account_id.',
          source: { pointer: '/external_account_id' },
        },
      },
      {
        line: 5,
        event: '[1, 2]',
        error: { code: 'malformed_line', title: 'Malformed Line', detail: 'Line 5 is not a JSON object.' },
      },
      {
        line: 6,
        event: { id: 'mixed-4', account_id: a.accountId, tasks: 0 },
        error: {
          code: 'invalid_event',
          title: 'Invalid Event',
          detail: 'tasks: Too small: expected number to be >=1',
          source: { pointer: '/tasks' },
        },
      },
      {
        line: 7,
        event: { id: 'mixed-1', external_account_id: a.externalId, tasks: 5 },
        error: {
          code: 'event_id_reused',
          title: 'Event Id Reused',
          detail: 'An event with this id was recorded with another account, tasks or occurred_at.',
          source: { pointer: '/id' },
        },
      },
    ]);
    expect(await m.usedNow(a.enrollments[0]!)).toBe(10);
  });

  it('redraws one progress bar on a terminal and prints the totals as JSON with --json', async () => {
    const a = await m.account([]);
    const file = join(dir, 'tty.ndjson');
    writeFileSync(
      file,
      ndjson([1, 2, 3].map((i) => ({ id: `tty-${i}`, account_id: a.accountId, tasks: i }))),
    );
    const out: string[] = [];
    const err: string[] = [];
    const drawn: string[] = [];
    const code = await run(
      [
        'usage',
        'ingest',
        '-f',
        file,
        '--batch-size',
        '1',
        '--rejected',
        join(dir, 'tty-rejected.ndjson'),
        '--json',
      ],
      env,
      {
        out: (t) => out.push(t),
        err: (t) => err.push(t),
        progress: { write: (t) => drawn.push(t), isTTY: true },
      },
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(JSON.parse(out.join(''))).toEqual({
      lines: 3,
      events: 3,
      recorded: 3,
      duplicate: 0,
      rejected: 0,
      sponsored: 0,
      unsponsored: 6,
      rejected_file: join(dir, 'tty-rejected.ndjson'),
    });
    expect(drawn.length).toBeGreaterThanOrEqual(2);
    for (const frame of drawn) expect(frame.startsWith('\r\x1b[2K[')).toBe(true);
    const last = drawn.at(-1)!;
    expect(last.slice(0, 5)).toBe('\r\x1b[2K');
    expect(last.slice(5)).toMatch(
      /^\[#{24}\] 100% {2}3 events {2}[\d,]+ events\/s {2}ETA 0:00 {2}rejected 0\n$/,
    );
  });

  it('stops at a batch the server refuses, says where, and exits 1', async () => {
    const file = join(dir, 'refused.ndjson');
    writeFileSync(
      file,
      ndjson([{ id: 'refused-1', account_id: '00000000-0000-4000-8000-000000000000', tasks: 1 }]),
    );
    const result = await cli(['usage', 'ingest', '-f', file], { ...env, ADMIN_TOKEN: 'adk_not_a_key' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'stopped at the batch starting on line 1: the lines before it were sent and answered (below); it and the rest were not counted. Running the same file again is safe.\nevents             0\n',
    );
    expect(result.stderr).toContain('  401 ');
  });

  it('refuses a batch size over 1,000 and a missing file as usage errors', async () => {
    const big = await cli(['usage', 'ingest', '-f', 'x.ndjson', '--batch-size', '1001'], env);
    expect(big.code).toBe(2);
    expect(big.stderr.split('\n')[0]).toBe('error: --batch-size must be from 1 to 1000, not 1001');
    const missing = await cli(['usage', 'ingest', '-f', join(dir, 'absent.ndjson')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe(`error: cannot read ${join(dir, 'absent.ndjson')}`);
  });

  it('sets, shows and clears external ids, answers entitlements by either id and creates a meter key', async () => {
    const promotion = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 50 });
    const created = await cli(
      [
        'accounts',
        'create',
        '--email',
        'cli-ext@example.com',
        '--password',
        'a long password',
        '--external-id',
        'cli-ext-1',
        '--json',
      ],
      env,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const account = JSON.parse(created.stdout);
    expect(account).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: 'cli-ext@example.com',
      external_id: 'cli-ext-1',
      created_at: '2026-04-28T10:00:00Z',
    });

    const taken = await cli(
      [
        'accounts',
        'create',
        '--email',
        'cli-ext2@example.com',
        '--password',
        'a long password',
        '--external-id',
        'cli-ext-1',
      ],
      env,
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(
      'error: Another account has this external_id. (--external-id)\n  409 external_id_taken\n',
    );

    const changed = await cli(['accounts', 'update', account.id, '--external-id', 'cli-ext-2'], env);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toBe(
      `id           ${account.id}\nemail        cli-ext@example.com\nexternal_id  cli-ext-2\ncreated_at   2026-04-28T10:00:00Z\n`,
    );

    const token = await ctx.fixtures.userToken(partner.id, account.id);
    const enrolled = await m.enroll(token, promotion);
    expect(enrolled.statusCode).toBe(201);
    const enrollmentId = enrolled.json().enrollment_id as string;
    expect((await m.ingest([{ id: 'cli-ent-1', account_id: account.id, tasks: 20 }])).statusCode).toBe(200);

    const byExternal = await cli(['entitlements', '--external-id', 'cli-ext-2'], env);
    expect(byExternal.stderr).toBe('');
    expect(byExternal.code).toBe(0);
    const entitlement = (await m.entitlements({ account_id: account.id })).json();
    const row = entitlement.enrollments[0];
    expect(byExternal.stdout.split('\n')).toEqual([
      `account_id           ${account.id}`,
      'external_id          cli-ext-2',
      'at                   2026-04-28T10:00:00Z',
      'sponsored_remaining  30',
      '',
      expect.stringMatching(/^ENROLLMENT +PROMOTION +USED {2}LIMIT {2}REMAINING {2}CYCLE END +EXPIRES$/),
      expect.stringMatching(/^─+( +─+){6}$/),
      expect.stringMatching(
        new RegExp(
          `^${enrollmentId} +${promotion} +20 +50 +30 +${row.billing_cycle_end} +${row.expiration_date ?? '—'}$`,
        ),
      ),
      '',
    ]);
    const byId = await cli(
      ['entitlements', '--account', account.id, '--at', '2026-04-28T10:00:00Z', '--json'],
      env,
    );
    expect(byId.code).toBe(0);
    expect(JSON.parse(byId.stdout)).toEqual(entitlement);
    const neither = await cli(['entitlements'], env);
    expect(neither.code).toBe(2);
    expect(neither.stderr.split('\n')[0]).toBe('error: give exactly one of --account and --external-id');

    const cleared = await cli(['accounts', 'update', account.id, '--external-id', '', '--json'], env);
    expect(cleared.code).toBe(0);
    expect(JSON.parse(cleared.stdout)).toMatchObject({ id: account.id, external_id: null });
    const gone = await cli(['entitlements', '--external-id', 'cli-ext-2'], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('  404 account_not_found');

    const operator = await cli(
      [
        'operators',
        'create',
        '--email',
        'meter-op@example.com',
        '--password',
        'a long password',
        '--role',
        'editor',
        '--json',
      ],
      env,
    );
    expect(operator.code).toBe(0);
    const key = await cli(
      [
        'keys',
        'create',
        '--operator',
        JSON.parse(operator.stdout).id,
        '--name',
        'runner',
        '--role',
        'meter',
        '--json',
      ],
      env,
    );
    expect(key.stderr).toBe('');
    expect(key.code).toBe(0);
    const meterKey = JSON.parse(key.stdout);
    expect(meterKey).toMatchObject({ name: 'runner', role: 'meter' });
    const asMeter = await cli(['entitlements', '--account', account.id], {
      ...env,
      ADMIN_TOKEN: meterKey.key,
    });
    expect(asMeter.code).toBe(0);
    const refused = await cli(
      ['accounts', 'create', '--email', 'by-meter@example.com', '--password', 'a long password'],
      { ...env, ADMIN_TOKEN: meterKey.key },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('  403 permission_denied');
    const badRole = await cli(['keys', 'create', '--operator', 'x', '--name', 'n', '--role', 'admin'], env);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr.split('\n')[0]).toBe(
      'error: --role must be viewer, editor, owner or meter, not "admin"',
    );
  });
});
