// app.accountPasswords.setPassword: an account's new password, stored only as a slow hash; the old
// one stops verifying; an unknown account changes nothing; inside a transaction it commits or
// rolls back with it.
import { describe, expect, it } from 'vitest';
import { verifySecret } from '../../src/auth/secrets.js';
import { PASSWORD, useTestApp } from '../helpers/app.js';

const ctx = useTestApp();
const NEW_PASSWORD = 'pw~new!account-password';

const hashOf = async (id: string) => (await ctx.app.accountsRepository.findById(id))!.passwordHash;

describe('accountPasswords.setPassword', () => {
  it('replaces the password with a scrypt hash of the new one; the old one stops verifying', async () => {
    const account = await ctx.fixtures.account();
    expect(await ctx.app.accountPasswords.setPassword(account.id, NEW_PASSWORD)).toBe(true);
    const hash = await hashOf(account.id);
    expect(hash).toMatch(/^scrypt\$/);
    expect(hash).not.toContain(NEW_PASSWORD);
    expect(await verifySecret(NEW_PASSWORD, hash)).toBe(true);
    expect(await verifySecret(PASSWORD, hash)).toBe(false);
  });

  it('answers false for an unknown account and changes nothing', async () => {
    const other = await ctx.fixtures.account();
    const before = await hashOf(other.id);
    expect(
      await ctx.app.accountPasswords.setPassword('00000000-0000-4000-8000-000000000009', NEW_PASSWORD),
    ).toBe(false);
    expect(await hashOf(other.id)).toBe(before);
  });

  it("writes in the caller's transaction: rolled back with it", async () => {
    const account = await ctx.fixtures.account();
    const before = await hashOf(account.id);
    await expect(
      ctx.app.db.transaction(async (tx) => {
        expect(await ctx.app.accountPasswords.setPassword(account.id, NEW_PASSWORD, tx)).toBe(true);
        throw new Error('the audit entry failed');
      }),
    ).rejects.toThrow('the audit entry failed');
    expect(await hashOf(account.id)).toBe(before);
    expect(await verifySecret(PASSWORD, before)).toBe(true);
  });
});
