import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listen } from '../clients/helpers.js';
import { ADMIN_TOKEN, bearer, useTestApp } from '../helpers/app.js';

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

describe('admin CLI: webhooks and events', { timeout: 180_000 }, () => {
  const ctx = useTestApp();

  it('creates, lists, rotates, shows deliveries, lists and redelivers events, deletes', async () => {
    const env = { PROMOTIONS_URL: await listen(ctx.app), ADMIN_TOKEN };
    const partner = await ctx.fixtures.partner();
    const created = await cli(
      [
        'webhooks',
        'create',
        '--partner',
        partner.id,
        '--endpoint-url',
        'http://127.0.0.1:9/hook',
        '--event-type',
        'enrollment.created',
        '--json',
      ],
      env,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const endpoint = JSON.parse(created.stdout) as { id: string; secret: string };
    expect(endpoint.secret).toMatch(/^whsec_/);

    const listed = await cli(['webhooks', 'list', '--partner', partner.id], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+EVENT TYPES\s+URL$/);
    expect(listed.stdout).toContain(`${endpoint.id}  enabled  enrollment.created  http://127.0.0.1:9/hook`);

    const rotated = await cli(['webhooks', 'rotate', endpoint.id, '--partner', partner.id], env);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/^secret {2}whsec_/);

    const promotionId = await ctx.fixtures.promotion(partner.id);
    const account = await ctx.fixtures.account();
    const user = await ctx.fixtures.userToken(partner.id, account.id);
    const enrolled = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: bearer(user),
      payload: { promotion_id: promotionId },
    });
    expect(enrolled.statusCode).toBe(201);

    const events = await cli(['events', 'list', '--partner', partner.id, '--json'], env);
    expect(events.code).toBe(0);
    const [event] = (JSON.parse(events.stdout) as { data: Array<{ id: string; type: string }> }).data;
    expect(event?.type).toBe('enrollment.created');

    const deliveries = await cli(['webhooks', 'deliveries', endpoint.id, '--partner', partner.id], env);
    expect(deliveries.code).toBe(0);
    expect(deliveries.stdout).toMatch(new RegExp(`${event!.id}\\s+enrollment.created\\s+pending\\s+0`));

    const redelivered = await cli(['events', 'redeliver', event!.id, '--partner', partner.id], env);
    expect(redelivered).toMatchObject({ code: 0, stdout: `queued 1 delivery of ${event!.id}\n` });

    const badType = await cli(['events', 'list', '--partner', partner.id, '--type', 'nope'], env);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain('--type must be one of enrollment.created');

    const deleted = await cli(['webhooks', 'delete', endpoint.id, '--partner', partner.id], env);
    expect(deleted).toMatchObject({ code: 0, stdout: `deleted ${endpoint.id}\n` });
    const again = await cli(['webhooks', 'delete', endpoint.id, '--partner', partner.id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('404 webhook_endpoint_not_found');
  });
});
