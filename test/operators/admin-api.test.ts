// CONTRACT §11: /admin/v1/operators and their API keys, with ADMIN_TOKEN (the bootstrap owner).
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sha256, verifySecret } from '../../src/auth/secrets.js';
import { adminApiKeys, operators } from '../../src/db/schema.js';
import { newApiKeyId } from '../../src/operators/service.js';
import { bearer, useTestApp } from '../helpers/app.js';

const ctx = useTestApp();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PASSWORD = 'a long operator passphrase';

const create = (body: Record<string, unknown>) =>
  ctx.admin({ method: 'POST', url: '/admin/v1/operators', payload: body });

describe('operators', () => {
  it('creates an operator, stores only a hash of the password, and reads it back', async () => {
    const res = await create({ email: 'Grace@Example.com', password: PASSWORD, role: 'editor' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toEqual({
      id: expect.stringMatching(UUID),
      email: 'Grace@Example.com',
      role: 'editor',
      disabled: false,
      disabled_at: null,
      must_change_password: false,
      created_at: '2026-04-28T10:00:00Z',
      updated_at: '2026-04-28T10:00:00Z',
    });
    expect(res.headers.location).toBe(`/admin/v1/operators/${body.id}`);
    const [row] = await ctx.app.db.select().from(operators).where(eq(operators.id, body.id));
    expect(row?.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifySecret(PASSWORD, row?.passwordHash)).toBe(true);

    const read = await ctx.admin({ method: 'GET', url: `/admin/v1/operators/${body.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(body);
    expect(JSON.stringify(read.json())).not.toContain(PASSWORD);
  });

  it('refuses the same email in any case (409 email_taken), a short password and an unknown role (400)', async () => {
    await create({ email: 'dup@example.com', password: PASSWORD, role: 'viewer' });
    const taken = await create({ email: 'DUP@example.com', password: PASSWORD, role: 'viewer' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toEqual({
      errors: [
        {
          status: '409',
          code: 'email_taken',
          title: 'Email Taken',
          detail: 'An operator with this email already exists.',
          source: { pointer: '/email' },
        },
      ],
    });
    for (const [body, pointer] of [
      [{ email: 'x@example.com', password: 'short', role: 'viewer' }, '/password'],
      [{ email: 'x@example.com', password: PASSWORD, role: 'admin' }, '/role'],
      [{ email: 'not an email', password: PASSWORD, role: 'viewer' }, '/email'],
    ] as const) {
      const res = await create(body);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ code: 'invalid_request', source: { pointer } });
    }
  });

  it('lists operators by email, page by page', async () => {
    const first = await ctx.admin({ method: 'GET', url: '/admin/v1/operators?limit=1' });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.data).toHaveLength(1);
    expect(page1.next_cursor).toEqual(expect.any(String));
    const second = await ctx.admin({
      method: 'GET',
      url: `/admin/v1/operators?limit=100&cursor=${page1.next_cursor}`,
    });
    const emails = [page1.data[0].email, ...second.json().data.map((o: { email: string }) => o.email)];
    expect(emails.map((e) => e.toLowerCase())).toEqual([...emails.map((e) => e.toLowerCase())].sort());
    expect(new Set(emails).size).toBe(emails.length);
    expect(second.json().next_cursor).toBeNull();
  });

  it('changes the role, disables and enables again; keeps one enabled owner (409 last_owner)', async () => {
    const owner = (
      await create({ email: 'only-owner@example.com', password: PASSWORD, role: 'owner' })
    ).json();
    const demote = await ctx.admin({
      method: 'PATCH',
      url: `/admin/v1/operators/${owner.id}`,
      payload: { role: 'viewer' },
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json()).toEqual({
      errors: [
        {
          status: '409',
          code: 'last_owner',
          title: 'Last Owner',
          detail: 'This is the last enabled owner: make another operator an owner first.',
          source: { pointer: '/role' },
        },
      ],
    });
    const disable = await ctx.admin({
      method: 'PATCH',
      url: `/admin/v1/operators/${owner.id}`,
      payload: { disabled: true },
    });
    expect(disable.statusCode).toBe(409);
    expect(disable.json().errors[0].source).toEqual({ pointer: '/disabled' });

    const other = (
      await create({ email: 'second-owner@example.com', password: PASSWORD, role: 'owner' })
    ).json();
    ctx.clock.advance(60_000);
    const disabled = await ctx.admin({
      method: 'PATCH',
      url: `/admin/v1/operators/${owner.id}`,
      payload: { disabled: true, role: 'editor' },
    });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toEqual({
      ...owner,
      role: 'editor',
      disabled: true,
      disabled_at: '2026-04-28T10:01:00Z',
      updated_at: '2026-04-28T10:01:00Z',
    });
    const enabled = await ctx.admin({
      method: 'PATCH',
      url: `/admin/v1/operators/${owner.id}`,
      payload: { disabled: false },
    });
    expect(enabled.json()).toMatchObject({ disabled: false, disabled_at: null, role: 'editor' });
    expect(other.role).toBe('owner');
  });

  it('answers 404 operator_not_found for unknown and malformed ids', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const res = await ctx.admin({ method: 'GET', url: `/admin/v1/operators/${id}` });
      expect(res.statusCode).toBe(404);
      expect(res.json().errors[0]).toEqual({
        status: '404',
        code: 'operator_not_found',
        title: 'Operator Not Found',
        detail: 'The requested operator was not found.',
      });
    }
  });
});

describe('admin API keys', () => {
  it('shows a key once, stores only its hash, lists it without the value and revokes it', async () => {
    const operator = (await create({ email: 'keys@example.com', password: PASSWORD, role: 'editor' })).json();
    const res = await ctx.admin({
      method: 'POST',
      url: `/admin/v1/operators/${operator.id}/api_keys`,
      payload: { name: 'CI' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const created = res.json();
    expect(created).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      operator_id: operator.id,
      name: 'CI',
      role: 'editor',
      key: expect.stringMatching(/^adk_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/),
      created_at: '2026-04-28T10:01:00Z',
      last_used_at: null,
      revoked_at: null,
    });
    expect(created.key.slice(4, 26)).toBe(created.id);
    const [row] = await ctx.app.db.select().from(adminApiKeys).where(eq(adminApiKeys.id, created.id));
    const secret = created.key.split('.')[1];
    expect(row?.secretHash).toBe(sha256(secret));
    expect(row?.secretHash).not.toContain(secret);

    // It works, and its use is remembered.
    const used = await ctx.app.inject({
      method: 'GET',
      url: '/admin/v1/promotions',
      headers: bearer(created.key),
    });
    expect(used.statusCode).toBe(200);
    const listed = await ctx.admin({ method: 'GET', url: `/admin/v1/operators/${operator.id}/api_keys` });
    expect(listed.statusCode).toBe(200);
    const { key: _key, ...withoutValue } = created;
    expect(listed.json()).toEqual({
      data: [{ ...withoutValue, last_used_at: '2026-04-28T10:01:00Z' }],
      next_cursor: null,
    });
    expect(listed.body).not.toContain(secret);

    const revoked = await ctx.admin({
      method: 'DELETE',
      url: `/admin/v1/operators/${operator.id}/api_keys/${created.id}`,
    });
    expect(revoked.statusCode).toBe(204);
    expect(revoked.body).toBe('');
    const again = await ctx.admin({
      method: 'DELETE',
      url: `/admin/v1/operators/${operator.id}/api_keys/${created.id}`,
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().errors[0]).toEqual({
      status: '404',
      code: 'api_key_not_found',
      title: 'API Key Not Found',
      detail: 'The requested API key was not found.',
    });
    const after = await ctx.admin({ method: 'GET', url: `/admin/v1/operators/${operator.id}/api_keys` });
    expect(after.json().data[0].revoked_at).toBe('2026-04-28T10:01:00Z');
  });

  it("refuses a key whose role exceeds its operator's (400 at /role)", async () => {
    const operator = (
      await create({ email: 'viewer-keys@example.com', password: PASSWORD, role: 'viewer' })
    ).json();
    const res = await ctx.admin({
      method: 'POST',
      url: `/admin/v1/operators/${operator.id}/api_keys`,
      payload: { name: 'too strong', role: 'owner' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toEqual({
      status: '400',
      code: 'invalid_request',
      title: 'Invalid Request',
      detail: "A key's role cannot exceed its operator's (viewer).",
      source: { pointer: '/role' },
    });
  });
});

describe('API key ids', () => {
  it('never begin with "-", so a shell passes one to the CLI as an argument (one in 64 would)', () => {
    const ids = Array.from({ length: 2000 }, newApiKeyId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('passwords', () => {
  const changeOwn = (key: string, body: Record<string, unknown>) =>
    ctx.app.inject({
      method: 'POST',
      url: '/admin/v1/operators/me/password',
      headers: bearer(key),
      payload: body,
    });

  it('an owner resets a password: a temporary one shown once (no-store), the old one refused at once', async () => {
    const op = (await create({ email: 'reset@example.com', password: PASSWORD, role: 'viewer' })).json();
    const res = await ctx.admin({ method: 'POST', url: `/admin/v1/operators/${op.id}/reset_password` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toEqual({ ...op, must_change_password: true, temporary_password: expect.any(String) });
    expect(body.temporary_password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await ctx.app.operatorService.verifyPassword('reset@example.com', PASSWORD)).toBeNull();
    expect(
      await ctx.app.operatorService.verifyPassword('reset@example.com', body.temporary_password),
    ).toMatchObject({ id: op.id, mustChangePassword: true });
    const read = await ctx.admin({ method: 'GET', url: `/admin/v1/operators/${op.id}` });
    expect(read.json()).toEqual({ ...op, must_change_password: true });
    expect(JSON.stringify(read.json())).not.toContain(body.temporary_password);

    const unknown = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/operators/00000000-0000-4000-8000-000000000009/reset_password',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().errors[0].code).toBe('operator_not_found');
  });

  it('an operator changes their own password with the current one, which clears a reset', async () => {
    const op = (await create({ email: 'self@example.com', password: PASSWORD, role: 'viewer' })).json();
    const reset = await ctx.admin({ method: 'POST', url: `/admin/v1/operators/${op.id}/reset_password` });
    const temporary: string = reset.json().temporary_password;
    const key = (
      await ctx.admin({
        method: 'POST',
        url: `/admin/v1/operators/${op.id}/api_keys`,
        payload: { name: 'k' },
      })
    ).json().key;

    const wrong = await changeOwn(key, {
      current_password: PASSWORD,
      new_password: 'a brand new passphrase',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual({
      errors: [
        {
          status: '400',
          code: 'invalid_request',
          title: 'Invalid Request',
          detail: 'The current password is wrong.',
          source: { pointer: '/current_password' },
        },
      ],
    });
    const same = await changeOwn(key, { current_password: temporary, new_password: temporary });
    expect(same.statusCode).toBe(400);
    expect(same.json().errors[0]).toMatchObject({ source: { pointer: '/new_password' } });
    const short = await changeOwn(key, { current_password: temporary, new_password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0]).toMatchObject({ source: { pointer: '/new_password' } });
    expect(await ctx.app.operatorService.verifyPassword('self@example.com', temporary)).not.toBeNull();

    const ok = await changeOwn(key, { current_password: temporary, new_password: 'a brand new passphrase' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ...op, must_change_password: false });
    expect(await ctx.app.operatorService.verifyPassword('self@example.com', temporary)).toBeNull();
    expect(
      await ctx.app.operatorService.verifyPassword('self@example.com', 'a brand new passphrase'),
    ).toMatchObject({ id: op.id, mustChangePassword: false });
  });

  it('ADMIN_TOKEN has no password of its own: 403', async () => {
    const res = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/operators/me/password',
      payload: { current_password: 'x', new_password: 'a brand new passphrase' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().errors[0]).toEqual({
      status: '403',
      code: 'permission_denied',
      title: 'Permission Denied',
      detail: "Only an operator's API key has a password to change; ADMIN_TOKEN is set in the environment.",
    });
  });
});
