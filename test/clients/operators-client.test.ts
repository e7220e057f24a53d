// The typed admin client's CONTRACT §11 calls (operators, keys, audit log) and the partner and
// test-clock calls operators use, against the server.
import { describe, expect, it } from 'vitest';
import { createAdminClient, PromotionsApiError } from '../../clients/typescript/src/index.js';
import { ADMIN_TOKEN, useTestApp } from '../helpers/app.js';
import { listen } from './helpers.js';

describe('typed admin client: operators, keys, audit log, partners and test clocks', () => {
  const ctx = useTestApp();

  it('manages an operator and its key, and the key acts as that operator', async () => {
    const baseUrl = await listen(ctx.app);
    const admin = createAdminClient({ baseUrl, adminToken: ADMIN_TOKEN });
    const operator = await admin.operators.create({
      email: 'lin@example.com',
      password: 'a long passphrase',
      role: 'editor',
    });
    await expect(admin.operators.get(operator.id)).resolves.toEqual(operator);
    expect((await admin.operators.list()).data).toEqual([operator]);

    const key = await admin.operators.createApiKey(operator.id, { name: 'script', role: 'viewer' });
    expect(key.role).toBe('viewer');
    const asKey = createAdminClient({ baseUrl, adminToken: key.key, retries: 0 });
    expect((await asKey.partners.list()).data).toEqual([]);
    const refused = await asKey.operators.list().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PromotionsApiError);
    expect(refused).toMatchObject({ status: 403, code: 'permission_denied' });

    const promoted = await admin.operators.update(operator.id, { role: 'owner' });
    expect(promoted.role).toBe('owner');
    const { key: _value, ...listed } = key;
    expect((await admin.operators.listApiKeys(operator.id)).data).toEqual([
      { ...listed, last_used_at: '2026-04-28T10:00:00Z' },
    ]);
    await admin.operators.revokeApiKey(operator.id, key.id);

    const audit = await admin.auditLog.list({ object_type: 'operator', object_id: operator.id });
    expect(audit.data.map((e) => e.action)).toEqual(['operator.updated', 'operator.created']);
    expect(audit.data[0]!.changes).toEqual({ role: { before: 'editor', after: 'owner' } });
  });

  it('lists partners, rotates a secret, and reads and advances a sandbox partner’s test clock', async () => {
    const baseUrl = await listen(ctx.app);
    const admin = createAdminClient({ baseUrl, adminToken: ADMIN_TOKEN });
    const sandbox = await admin.partners.create({
      name: 'Sandbox Co',
      redirect_uris: ['https://sandbox.example/cb'],
      sandbox: true,
    });
    expect((await admin.partners.list()).data.map((p) => p.id)).toEqual([sandbox.id]);
    const rotated = await admin.partners.rotateSecret(sandbox.id);
    expect(rotated.client_secret).not.toBe(sandbox.client_secret);

    const clock = await ctx.app.testClockService.create(sandbox.id, {
      frozenTime: new Date('2026-01-31T10:00:00Z'),
      name: 'CI',
    });
    const clocks = admin.testClocks(sandbox.id);
    expect((await clocks.list()).data.map((c) => c.id)).toEqual([clock.id]);
    await expect(clocks.get(clock.id)).resolves.toMatchObject({ frozen_time: '2026-01-31T10:00:00Z' });
    const advanced = await clocks.advance(clock.id, '2026-03-01T00:00:00Z');
    expect(advanced).toEqual({
      id: clock.id,
      frozen_time: '2026-03-01T00:00:00Z',
      name: 'CI',
      status: 'ready',
      created_at: '2026-04-28T10:00:00Z',
    });
  });
});
