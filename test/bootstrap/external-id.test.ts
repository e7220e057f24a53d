// CONTRACT §10 and §12: an account's `external_id` in the bootstrap file, applied idempotently
// (created with it, changed, cleared with null, left as it is when the file leaves it out),
// refused (409 bootstrap_conflict, nothing changed) when another account holds it, and refused
// (400) when two accounts of the file declare the same one or it is malformed.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts } from '../../src/db/schema.js';
import { useTestApp } from '../helpers/app.js';

const ctx = useTestApp();
const PASSWORD = 'pw-external-id-1';

const apply = (accountList: unknown[], dryRun = false) =>
  ctx.admin({
    method: 'POST',
    url: '/admin/v1/bootstrap',
    payload: { document: { accounts: accountList }, dry_run: dryRun },
  });

const externalIdOf = async (email: string) =>
  (await ctx.app.db.select().from(accounts).where(eq(accounts.email, email)))[0]?.externalId;

const changes = (res: { json(): { changes: Array<{ key: string; outcome: string; fields: string[] }> } }) =>
  res.json().changes.map((c) => [c.key, c.outcome, ...c.fields]);

describe('bootstrap file: external_id (CONTRACT §12)', () => {
  it('creates with it, leaves it when left out, changes it, clears it with null, and is unchanged when applied again', async () => {
    const email = 'ext-a@example.com';
    const created = await apply([{ email, password: PASSWORD, external_id: 'plat-a' }]);
    expect(created.statusCode).toBe(200);
    expect(changes(created)).toEqual([[email, 'created']]);
    expect(await externalIdOf(email)).toBe('plat-a');
    const account = (await ctx.app.db.select().from(accounts).where(eq(accounts.email, email)))[0]!;
    const shown = await ctx.admin({ method: 'GET', url: `/admin/v1/accounts/${account.id}` });
    expect(shown.json()).toMatchObject({ external_id: 'plat-a' });

    expect(changes(await apply([{ email, password: PASSWORD, external_id: 'plat-a' }]))).toEqual([
      [email, 'unchanged'],
    ]);
    // Left out: as it is (the platform may have set it through the admin API).
    expect(changes(await apply([{ email, password: PASSWORD }]))).toEqual([[email, 'unchanged']]);
    expect(await externalIdOf(email)).toBe('plat-a');

    const dry = await apply([{ email, password: PASSWORD, external_id: 'plat-a2' }], true);
    expect(changes(dry)).toEqual([[email, 'updated', 'external_id']]);
    expect(await externalIdOf(email)).toBe('plat-a');

    const changed = await apply([{ email, password: PASSWORD, external_id: 'plat-a2' }]);
    expect(changed.statusCode).toBe(200);
    expect(changes(changed)).toEqual([[email, 'updated', 'external_id']]);
    expect(await externalIdOf(email)).toBe('plat-a2');
    // The old one is free again: another account may take it.
    expect(
      changes(await apply([{ email: 'ext-a-other@example.com', password: PASSWORD, external_id: 'plat-a' }])),
    ).toEqual([['ext-a-other@example.com', 'created']]);

    const both = await apply([{ email, password: 'pw-external-id-2', external_id: null }]);
    expect(changes(both)).toEqual([[email, 'updated', 'password', 'external_id']]);
    expect(await externalIdOf(email)).toBeNull();
    expect(changes(await apply([{ email, password: 'pw-external-id-2', external_id: null }]))).toEqual([
      [email, 'unchanged'],
    ]);

    // The audit log has the change of external id (through the admin API, CONTRACT §11).
    const audit = await ctx.admin({ method: 'GET', url: `/admin/v1/audit_log?object_id=${account.id}` });
    const updates = audit
      .json()
      .data.filter((e: { action: string }) => e.action === 'account.updated')
      .map((e: { changes: unknown }) => e.changes);
    expect(updates).toEqual([
      { external_id: { before: 'plat-a2', after: null } },
      { external_id: { before: 'plat-a', after: 'plat-a2' } },
    ]);
  });

  it('refuses an external id another account holds (409, naming it) and changes nothing of the file', async () => {
    const holder = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/accounts',
      payload: { email: 'holder@example.com', password: PASSWORD, external_id: 'plat-held' },
    });
    expect(holder.statusCode).toBe(201);
    const res = await apply([
      { email: 'ext-b@example.com', password: PASSWORD, external_id: 'plat-b' },
      { email: 'ext-c@example.com', password: PASSWORD, external_id: 'plat-held' },
    ]);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      errors: [
        {
          status: '409',
          code: 'bootstrap_conflict',
          title: 'Bootstrap Conflict',
          detail:
            'accounts[1].external_id: is the external id of another account (holder@example.com): change or clear it there first',
          source: { pointer: '/document/accounts/1/external_id' },
        },
      ],
    });
    expect(await externalIdOf('ext-b@example.com')).toBeUndefined();
    expect(await externalIdOf('holder@example.com')).toBe('plat-held');
  });

  it('refuses (400) two accounts of the file with the same external id, and a malformed one', async () => {
    const res = await apply([
      { email: 'ext-d@example.com', password: PASSWORD, external_id: 'plat-same' },
      { email: 'ext-e@example.com', password: PASSWORD },
      { email: 'ext-f@example.com', password: PASSWORD, external_id: 'plat-same' },
      { email: 'ext-g@example.com', password: PASSWORD, external_id: 'has space' },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { detail: string; source: unknown }) => [e.detail, e.source])).toEqual([
      [
        'accounts[2].external_id: this external_id is already declared by accounts[0]',
        { pointer: '/document/accounts/2/external_id' },
      ],
      [
        'accounts[3].external_id: must be 1 to 128 of A-Z a-z 0-9 . _ : @ -',
        { pointer: '/document/accounts/3/external_id' },
      ],
    ]);
    expect(await externalIdOf('ext-d@example.com')).toBeUndefined();
  });
});
