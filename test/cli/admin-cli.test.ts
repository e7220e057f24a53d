import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../clients/helpers.js';
import { ADMIN_TOKEN, bearer, useTestApp } from '../helpers/app.js';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run admin -- …` the way npm does (tsx), as a child process. */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'clients/cli/admin.ts', ...args],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: emptyDir, ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const emptyDir = mkdtempSync(join(tmpdir(), 'cli-empty-'));
const json = (r: CliResult) => JSON.parse(r.stdout) as Record<string, unknown>;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Child processes (tsx start-up each): generous timeouts for a loaded CI machine.
describe('admin CLI against a listening server', { timeout: 180_000 }, () => {
  const ctx = useTestApp();
  let env: Record<string, string>;

  beforeAll(async () => {
    env = { PROMOTIONS_URL: await listen(ctx.app), ADMIN_TOKEN };
  });
  afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

  it('creates a partner, an account and a promotion, lists it and mints a token that enrolls', async () => {
    const partner = await cli(
      ['partners', 'create', '--name', 'Acme', '--redirect-uri', 'https://acme.example/callback', '--json'],
      env,
    );
    expect(partner.stderr).toBe('');
    expect(partner.code).toBe(0);
    const p = json(partner);
    expect(p).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Acme',
      client_id: expect.stringMatching(/^ci_/),
      client_secret: expect.stringMatching(/^cs_/),
      redirect_uris: ['https://acme.example/callback'],
      scopes: ['promotions:read', 'promotions:write'],
      sandbox: false,
      created_at: '2026-04-28T10:00:00Z',
    });

    const account = await cli(
      ['accounts', 'create', '--email', 'jane@example.com', '--password', 'a long password'],
      env,
    );
    expect(account.code).toBe(0);
    const accountId = /^id\s+(\S+)$/m.exec(account.stdout)?.[1];
    expect(account.stdout).toBe(
      `id           ${accountId}\nemail        jane@example.com\nexternal_id  —\ncreated_at   2026-04-28T10:00:00Z\n`,
    );

    const promotion = await cli(
      [
        'promotions',
        'create',
        '--id',
        'spring_2026',
        '--partner',
        String(p.id),
        '--name',
        'Spring',
        '--duration-days',
        '90',
        '--task-limit',
        '100',
        '--max-enrollments',
        '1000',
        '--ends-at',
        '2026-12-31T00:00:00.000Z',
        '--allow-reenrollment',
      ],
      env,
    );
    expect(promotion.stderr).toBe('');
    expect(promotion.code).toBe(0);
    expect(promotion.stdout).toBe(
      [
        'id                    spring_2026',
        'name                  Spring',
        `partner_id            ${p.id}`,
        'status                active',
        'starts_at             —',
        'ends_at               2026-12-31T00:00:00Z',
        'duration_days         90',
        'task_limit_per_month  100',
        'max_enrollments       1000',
        'enrollments_count     0',
        'allow_reenrollment    true',
        'created_at            2026-04-28T10:00:00Z',
        'updated_at            2026-04-28T10:00:00Z',
        '',
      ].join('\n'),
    );

    const listed = await cli(['promotions', 'list', '--partner', String(p.id)], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')).toEqual([
      'ID           NAME    STATUS  ENROLLED  MAX   TASKS/MONTH  DAYS  PARTNER',
      '───────────  ──────  ──────  ────────  ────  ───────────  ────  ────────────────────────────────────',
      `spring_2026  Spring  active  0         1000  100          90    ${p.id}`,
      '',
    ]);

    const minted = await cli(
      [
        'tokens',
        'mint',
        '--client-id',
        String(p.client_id),
        '--account',
        String(accountId),
        '--scope',
        'promotions:read promotions:write',
        '--json',
      ],
      env,
    );
    expect(minted.code).toBe(0);
    const token = json(minted);
    expect(token).toMatchObject({ token_type: 'Bearer', scope: 'promotions:read promotions:write' });

    const enrolled = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: bearer(String(token.access_token)),
      payload: { promotion_id: 'spring_2026' },
    });
    expect(enrolled.statusCode).toBe(201);

    const got = await cli(['promotions', 'get', 'spring_2026', '--json'], env);
    expect(json(got)).toMatchObject({ id: 'spring_2026', enrollments_count: 1 });
  });

  it('updates a promotion, lists its enrollments, records usage once per idempotency key and shows the events', async () => {
    const partner = await ctx.fixtures.partner();
    const promotionId = await ctx.fixtures.promotion(partner.id, { id: 'cli_usage' });
    const account = await ctx.fixtures.account('cli-usage@example.com');
    const enrolled = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: bearer(await ctx.fixtures.userToken(partner.id, account.id)),
      payload: { promotion_id: promotionId },
    });
    expect(enrolled.statusCode).toBe(201);
    const enrollmentId = String(enrolled.json().enrollment_id);
    // A minute later, so the events list (ordered by time) has one order to show.
    ctx.clock.set('2026-04-28T10:01:00Z');

    const updated = await cli(
      [
        'promotions',
        'update',
        promotionId,
        '--name',
        'Renamed',
        '--task-limit',
        '10',
        '--max-enrollments',
        'none',
        '--json',
      ],
      env,
    );
    expect(updated.stderr).toBe('');
    expect(updated.code).toBe(0);
    expect(json(updated)).toEqual({
      id: 'cli_usage',
      partner_id: partner.id,
      name: 'Renamed',
      status: 'active',
      starts_at: null,
      ends_at: null,
      duration_days: 90,
      task_limit_per_month: 10,
      max_enrollments: null,
      allow_reenrollment: false,
      enrollments_count: 1,
      created_at: '2026-04-28T10:00:00Z',
      updated_at: '2026-04-28T10:01:00Z',
    });

    const row = (tasksUsed: number) => ({
      enrollment_id: enrollmentId,
      promotion_id: 'cli_usage',
      account_id: account.id,
      partner_id: partner.id,
      status: 'enrolled',
      enrollment_date: '2026-04-28T10:00:00Z',
      expiration_date: '2026-07-26T23:59:59Z',
      unenrolled_at: null,
      task_limit_per_month: 10,
      tasks_used_this_month: tasksUsed,
      billing_cycle_start: '2026-04-28T10:00:00Z',
      billing_cycle_end: '2026-05-28T10:00:00Z',
    });
    const listed = await cli(['enrollments', 'list', '--promotion', promotionId, '--json'], env);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(json(listed)).toEqual({ data: [row(0)], next_cursor: null });

    // The same idempotency key twice: the second run answers the first result, counted once.
    const record = ['usage', 'record', enrollmentId, '--tasks', '3', '--idempotency-key', 'k', '--json'];
    const result = { accepted: 3, rejected: 0, tasks_used_this_month: 3, task_limit_per_month: 10 };
    const first = await cli(record, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(json(first)).toEqual(result);
    const second = await cli(record, env);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(json(second)).toEqual(result);
    const after = await cli(['enrollments', 'list', '--promotion', promotionId, '--json'], env);
    expect(after.code).toBe(0);
    expect(json(after)).toEqual({ data: [row(3)], next_cursor: null });

    const events = await cli(['enrollments', 'events', enrollmentId, '--json'], env);
    expect(events.stderr).toBe('');
    expect(events.code).toBe(0);
    expect(json(events)).toEqual({
      data: [
        {
          // The audit entry is the event of the one log: its id is the webhook-id too.
          id: expect.stringMatching(/^evt_[0-9a-f]{12}[A-Za-z0-9]{12}$/),
          type: 'enrolled',
          actor_type: 'partner',
          actor_id: partner.id,
          data: {},
          created_at: '2026-04-28T10:00:00Z',
        },
        {
          // The audit entry is the event of the one log: its id is the webhook-id too.
          id: expect.stringMatching(/^evt_[0-9a-f]{12}[A-Za-z0-9]{12}$/),
          type: 'usage_recorded',
          actor_type: 'admin',
          actor_id: null,
          data: {
            tasks: 3,
            accepted: 3,
            rejected: 0,
            occurred_at: '2026-04-28T10:01:00Z',
            idempotency_key: 'k',
            billing_cycle_start: '2026-04-28T10:00:00Z',
          },
          created_at: '2026-04-28T10:01:00Z',
        },
      ],
      next_cursor: null,
    });
    ctx.clock.set('2026-04-28T10:00:00Z');
  });

  it('exits 1 with the envelope detail on an API error, pointing at the option', async () => {
    const missing = await cli(['promotions', 'get', 'nope'], env);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: The requested promotion was not found.\n  404 promotion_not_found\n',
    });

    const invalid = await cli(['partners', 'create', '--name', 'Bad', '--redirect-uri', 'not a url'], env);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^error: .+ \(--redirect-uri\)\n {2}400 invalid_request\n$/);
  });

  it('exits 1 with a hint on a wrong admin token; reads DATA_DIR/admin-token when no token is given', async () => {
    const wrong = await cli(['promotions', 'list'], { ...env, ADMIN_TOKEN: 'not-the-admin-token' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(
      'error: The admin token is invalid.\n  401 not_authenticated\n' +
        'hint: pass --token or set ADMIN_TOKEN (the server prints the token on first start and keeps it in DATA_DIR/admin-token)\n',
    );

    const dataDir = mkdtempSync(join(tmpdir(), 'cli-data-'));
    writeFileSync(join(dataDir, 'admin-token'), `${ADMIN_TOKEN}\n`);
    const fromFile = await cli(['promotions', 'list', '--json', '--url', env.PROMOTIONS_URL!], {
      DATA_DIR: dataDir,
    });
    rmSync(dataDir, { recursive: true, force: true });
    expect(fromFile.stderr).toBe('');
    expect(fromFile.code).toBe(0);
    expect(json(fromFile)).toMatchObject({ next_cursor: null });
  });

  it('exits 2 on usage errors', async () => {
    const noName = await cli(['partners', 'create', '--redirect-uri', 'https://a.example/cb'], env);
    expect(noName).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: --name is required\nUsage: npm run admin -- partners create --name <name> --redirect-uri <url> [--redirect-uri <url>…] [--scope <scope>…] [--sandbox]\n',
    });
    const unknown = await cli(['promotions', 'list', '--colour'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: Unknown option '--colour'/);
    const notNumber = await cli(['usage', 'record', 'p:1', '--tasks', 'many'], env);
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toMatch(/^error: --tasks must be a whole number, not "many"\n/);
    const command = await cli(['promotions', 'delete', 'x'], env);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(
      /^error: unknown command "promotions delete"\n\nUsage: npm run admin -- <command>/,
    );
  });

  it('exits 3 when the server cannot be reached', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await cli(['promotions', 'list', '--url', url], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `error: Could not reach ${url}/admin/v1/promotions: fetch failed (ECONNREFUSED)\n` +
        `hint: is the server running? Set --url or PROMOTIONS_URL (now ${url})\n`,
    );
  });
});
