// The console's partner changes (edit, disable, enable) and passwords: an owner's reset shows a
// temporary password once, the operator must replace it at sign-in before any other page, and
// every operator changes their own.
import { describe, expect, it } from 'vitest';
import { OPERATOR_PASSWORD, operatorWithKey } from '../admin/operator-helpers.js';
import { useTestApp } from '../helpers/app.js';
import { signedIn, signIn } from './console-helpers.js';

const ctx = useTestApp();

describe('console: a partner', () => {
  it('an owner changes its fields, disables it and enables it again; each change audited', async () => {
    const owner = await signedIn(ctx, 'owner');
    const p = await ctx.fixtures.partner({ name: 'Console Partner' });
    const pageRes = await owner.get(`/console/partners/${p.id}`);
    expect(pageRes.statusCode).toBe(200);
    expect(pageRes.body).toContain('Disable partner');

    const saved = await owner.post(
      `/console/partners/${p.id}`,
      {
        name: 'Renamed Partner',
        redirect_uris: 'https://a.example/cb\nhttps://b.example/cb',
        'scope_promotions:read': 'true',
      },
      pageRes,
    );
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/console/partners/${p.id}?notice=saved`);
    expect(await ctx.app.partnerService.getPartner(p.id)).toMatchObject({
      name: 'Renamed Partner',
      redirect_uris: ['https://a.example/cb', 'https://b.example/cb'],
      scopes: ['promotions:read'],
      status: 'enabled',
    });

    const bad = await owner.post(`/console/partners/${p.id}`, { name: 'x', redirect_uris: 'nope' }, pageRes);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Redirect URIs: must be an absolute http(s) URL without a fragment');
    expect((await ctx.app.partnerService.getPartner(p.id)).name).toBe('Renamed Partner');

    const disabled = await owner.post(`/console/partners/${p.id}/status`, { status: 'disabled' }, pageRes);
    expect(disabled.statusCode).toBe(303);
    expect(disabled.headers.location).toBe(`/console/partners/${p.id}?notice=partner_disabled`);
    expect((await ctx.app.partnerService.getPartner(p.id)).status).toBe('disabled');
    const after = await owner.get(disabled.headers.location as string);
    expect(after.body).toContain('The partner is disabled');
    expect(after.body).toContain('Enable partner');

    await owner.post(`/console/partners/${p.id}/status`, { status: 'enabled' }, pageRes);
    expect((await ctx.app.partnerService.getPartner(p.id)).status).toBe('enabled');
    const history = await ctx.app.auditLog.list({ limit: 3, objectType: 'partner', objectId: p.id });
    expect(history.data.map((e) => [e.action, e.via, e.changes.status?.after ?? null])).toEqual([
      ['partner.updated', 'console', 'enabled'],
      ['partner.updated', 'console', 'disabled'],
      ['partner.updated', 'console', null],
    ]);
  });

  it('an editor sees the forms disabled and its post is refused with 403', async () => {
    const editor = await signedIn(ctx, 'editor');
    const p = await ctx.fixtures.partner();
    const pageRes = await editor.get(`/console/partners/${p.id}`);
    expect(pageRes.body).toContain('Needs the owner role');
    const res = await editor.post(`/console/partners/${p.id}/status`, { status: 'disabled' }, pageRes);
    expect(res.statusCode).toBe(403);
    expect((await ctx.app.partnerService.getPartner(p.id)).status).toBe('enabled');
  });
});

describe('console: passwords', () => {
  it("an owner's reset: the temporary password shown once, then replaced at sign-in before any other page", async () => {
    const owner = await signedIn(ctx, 'owner');
    const { operator } = await operatorWithKey(ctx, 'viewer');
    const opPage = await owner.get(`/console/operators/${operator.id}`);
    const unconfirmed = await owner.post(`/console/operators/${operator.id}/reset-password`, {}, opPage);
    expect(unconfirmed.statusCode).toBe(400);
    const reset = await owner.post(
      `/console/operators/${operator.id}/reset-password`,
      { confirm: 'true' },
      opPage,
    );
    expect(reset.statusCode).toBe(200);
    expect(reset.headers['cache-control']).toBe('no-store');
    const temporary = /id="temporary-password">([^<]+)</.exec(reset.body)?.[1];
    expect(temporary).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await owner.get(`/console/operators/${operator.id}`)).body).not.toContain(temporary);

    // The old password no longer signs in; the temporary one leads to the password page only.
    const old = await ctx.app.operatorService.verifyPassword(operator.email, OPERATOR_PASSWORD);
    expect(old).toBeNull();
    const them = await signIn(ctx, operator.email, temporary!);
    const elsewhere = await them.get('/console/promotions');
    expect(elsewhere.statusCode).toBe(303);
    expect(elsewhere.headers.location).toBe('/console/password');
    const form = await them.get('/console/password');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Your password was reset by an owner');

    const differ = await them.post(
      '/console/password',
      {
        current_password: temporary!,
        new_password: 'my own new passphrase',
        confirm_password: 'something else',
      },
      form,
    );
    expect(differ.statusCode).toBe(400);
    expect(differ.body).toContain('The two new passwords differ.');
    const wrong = await them.post(
      '/console/password',
      {
        current_password: 'not the password',
        new_password: 'my own new passphrase',
        confirm_password: 'my own new passphrase',
      },
      form,
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The current password is wrong.');
    const changed = await them.post(
      '/console/password',
      {
        current_password: temporary!,
        new_password: 'my own new passphrase',
        confirm_password: 'my own new passphrase',
      },
      form,
    );
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe('/console/promotions?notice=password_changed');
    expect((await them.get('/console/promotions')).statusCode).toBe(200);
    expect(
      await ctx.app.operatorService.verifyPassword(operator.email, 'my own new passphrase'),
    ).toMatchObject({
      mustChangePassword: false,
    });
  });

  it('an operator changes their own password from the page linked in the header', async () => {
    const viewer = await signedIn(ctx, 'viewer');
    const home = await viewer.get('/console/promotions');
    expect(home.body).toContain('href="/console/password"');
    const form = await viewer.get('/console/password');
    const res = await viewer.post(
      '/console/password',
      {
        current_password: OPERATOR_PASSWORD,
        new_password: 'viewer new passphrase',
        confirm_password: 'viewer new passphrase',
      },
      form,
    );
    expect(res.statusCode).toBe(303);
    expect(
      await ctx.app.operatorService.verifyPassword(viewer.email, 'viewer new passphrase'),
    ).not.toBeNull();
    expect(await ctx.app.operatorService.verifyPassword(viewer.email, OPERATOR_PASSWORD)).toBeNull();
  });
});
