import { describe, expect, it } from 'vitest';
import { verifySecret } from '../../src/auth/secrets.js';
import { bearer, useTestApp } from '../helpers/app.js';

const ctx = useTestApp();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function createPartner(body: Record<string, unknown> = {}) {
  return ctx.admin({
    method: 'POST',
    url: '/admin/v1/partners',
    payload: { name: 'Acme', redirect_uris: ['https://acme.example/callback'], ...body },
  });
}

describe('partners', () => {
  it('creates a partner and shows the secret once, stored only as a slow hash', async () => {
    const res = await createPartner({ scopes: ['promotions:read'] });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toEqual({
      id: expect.stringMatching(UUID),
      name: 'Acme',
      client_id: expect.stringMatching(/^ci_[A-Za-z0-9_-]{22}$/),
      client_secret: expect.stringMatching(/^cs_[A-Za-z0-9_-]{43}$/),
      redirect_uris: ['https://acme.example/callback'],
      scopes: ['promotions:read'],
      sandbox: false,
      status: 'enabled',
      created_at: '2026-04-28T10:00:00Z',
    });
    expect(res.headers.location).toBe(`/admin/v1/partners/${body.id}`);
    const row = await ctx.app.partnersRepository.findById(body.id);
    expect(row?.clientSecretHash).toMatch(/^scrypt\$/);
    expect(row?.clientSecretHash).not.toContain(body.client_secret);
    expect(await verifySecret(body.client_secret, row?.clientSecretHash)).toBe(true);

    const read = await ctx.admin({ method: 'GET', url: `/admin/v1/partners/${body.id}` });
    expect(read.statusCode).toBe(200);
    const { client_secret: _secret, ...withoutSecret } = body;
    expect(read.json()).toEqual(withoutSecret);
  });

  it.each([
    [{ redirect_uris: [] }, '/redirect_uris'],
    [{ redirect_uris: ['not a url'] }, '/redirect_uris/0'],
    [{ redirect_uris: ['https://a.example/cb#frag'] }, '/redirect_uris/0'],
    [{ redirect_uris: ['javascript:alert(1)'] }, '/redirect_uris/0'],
    [{ name: '' }, '/name'],
    [{ scopes: ['admin'] }, '/scopes/0'],
  ])('refuses %j with 400 naming the field', async (body, pointer) => {
    const res = await createPartner(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ code: 'invalid_request', source: { pointer } });
  });

  it('answers 404 partner_not_found for unknown and malformed ids', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const res = await ctx.admin({ method: 'GET', url: `/admin/v1/partners/${id}` });
      expect(res.statusCode).toBe(404);
      expect(res.json().errors[0].code).toBe('partner_not_found');
    }
  });
});

describe('accounts', () => {
  it('creates an account, and refuses the same email in any case with 409 email_taken', async () => {
    const res = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/accounts',
      payload: { email: 'Jane@Example.com', password: 'hunter22hunter22' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.stringMatching(UUID),
      email: 'Jane@Example.com',
      external_id: null,
      created_at: '2026-04-28T10:00:00Z',
    });
    expect(res.body).not.toContain('hunter22');
    const again = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/accounts',
      payload: { email: 'jane@example.COM', password: 'another-password' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0]).toEqual({
      status: '409',
      code: 'email_taken',
      title: 'Email Taken',
      detail: 'An account with this email already exists.',
      source: { pointer: '/email' },
    });
    const read = await ctx.admin({ method: 'GET', url: `/admin/v1/accounts/${res.json().id}` });
    expect(read.json()).toEqual(res.json());
  });

  it('sets a new consent-page password through PATCH, recording the act but never the value', async () => {
    const created = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/accounts',
      payload: { email: 'repass@example.com', password: 'the first password' },
    });
    const id = created.json().id as string;
    const res = await ctx.admin({
      method: 'PATCH',
      url: `/admin/v1/accounts/${id}`,
      payload: { password: 'a brand new password' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(created.json());
    const row = await ctx.app.accountsRepository.findById(id);
    expect(await verifySecret('a brand new password', row!.passwordHash)).toBe(true);
    expect(await verifySecret('the first password', row!.passwordHash)).toBe(false);
    const log = await ctx.admin({
      method: 'GET',
      url: `/admin/v1/audit_log?object_type=account&object_id=${id}`,
    });
    const entry = (log.json().data as Array<{ action: string; changes: unknown }>)[0]!;
    expect(entry).toMatchObject({ action: 'account.password_changed', changes: {} });
    expect(log.body).not.toContain('a brand new password');
    const short = await ctx.admin({
      method: 'PATCH',
      url: `/admin/v1/accounts/${id}`,
      payload: { password: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].source).toEqual({ pointer: '/password' });
    expect(
      await verifySecret(
        'a brand new password',
        (await ctx.app.accountsRepository.findById(id))!.passwordHash,
      ),
    ).toBe(true);
  });

  it.each([
    [{ email: 'not-an-email', password: 'longenough' }, '/email'],
    [{ email: 'a@example.com', password: 'short' }, '/password'],
  ])('refuses %j with 400', async (payload, pointer) => {
    const res = await ctx.admin({ method: 'POST', url: '/admin/v1/accounts', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].source).toEqual({ pointer });
  });
});

describe('promotions', () => {
  it('creates, reads and lists promotions with enrollments_count', async () => {
    const partner = (await createPartner()).json();
    const res = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/promotions',
      payload: {
        id: 'spring_2026',
        partner_id: partner.id,
        name: 'Spring',
        starts_at: '2026-04-01T00:00:00.600Z',
        ends_at: '2026-06-01T02:00:00+02:00',
        duration_days: 90,
        task_limit_per_month: 100,
        max_enrollments: 1000,
      },
    });
    expect(res.statusCode).toBe(201);
    const expected = {
      id: 'spring_2026',
      partner_id: partner.id,
      name: 'Spring',
      status: 'active',
      starts_at: '2026-04-01T00:00:00Z',
      ends_at: '2026-06-01T00:00:00Z',
      duration_days: 90,
      task_limit_per_month: 100,
      max_enrollments: 1000,
      allow_reenrollment: false,
      enrollments_count: 0,
      created_at: '2026-04-28T10:00:00Z',
      updated_at: '2026-04-28T10:00:00Z',
    };
    expect(res.json()).toEqual(expected);
    expect(res.headers.location).toBe('/admin/v1/promotions/spring_2026');
    expect((await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/spring_2026' })).json()).toEqual(
      expected,
    );
    const list = await ctx.admin({ method: 'GET', url: `/admin/v1/promotions?partner_id=${partner.id}` });
    expect(list.json()).toEqual({ data: [expected], next_cursor: null });
  });

  it('pages the list with an opaque cursor', async () => {
    const partner = (await createPartner()).json();
    for (const id of ['page_a', 'page_b', 'page_c']) {
      await ctx.admin({
        method: 'POST',
        url: '/admin/v1/promotions',
        payload: { id, partner_id: partner.id, name: id },
      });
    }
    const first = (
      await ctx.admin({ method: 'GET', url: `/admin/v1/promotions?partner_id=${partner.id}&limit=2` })
    ).json();
    expect(first.data.map((p: { id: string }) => p.id)).toEqual(['page_a', 'page_b']);
    expect(typeof first.next_cursor).toBe('string');
    const second = (
      await ctx.admin({
        method: 'GET',
        url: `/admin/v1/promotions?partner_id=${partner.id}&limit=2&cursor=${first.next_cursor}`,
      })
    ).json();
    expect(second).toMatchObject({ data: [{ id: 'page_c' }], next_cursor: null });
    const bad = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions?cursor=%%%' });
    expect(bad.statusCode).toBe(400);
    const tooMany = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions?limit=101' });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].source).toEqual({ parameter: 'limit' });
  });

  it.each([
    [{ id: 'bad slug!' }, '/id'],
    [{ ends_at: '2026-01-01T00:00:00Z', starts_at: '2026-02-01T00:00:00Z' }, '/ends_at'],
    [{ ends_at: '2026-01-01T00:00:00Z', starts_at: '2026-01-01T00:00:00Z' }, '/ends_at'],
    [{ duration_days: 0 }, '/duration_days'],
    [{ task_limit_per_month: -1 }, '/task_limit_per_month'],
    [{ max_enrollments: -5 }, '/max_enrollments'],
    [{ status: 'archived' }, '/status'],
    [{ starts_at: 'yesterday' }, '/starts_at'],
  ])('refuses %j with 400 naming the field', async (fields, pointer) => {
    const partner = (await createPartner()).json();
    const res = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/promotions',
      payload: { id: 'valid_id', partner_id: partner.id, name: 'n', ...fields },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ code: 'invalid_request', source: { pointer } });
    expect((await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/valid_id' })).statusCode).toBe(404);
  });

  it('answers 409 promotion_exists and 404 partner_not_found', async () => {
    const partner = (await createPartner()).json();
    const body = { id: 'dup_promo', partner_id: partner.id, name: 'n' };
    expect((await ctx.admin({ method: 'POST', url: '/admin/v1/promotions', payload: body })).statusCode).toBe(
      201,
    );
    const dup = await ctx.admin({ method: 'POST', url: '/admin/v1/promotions', payload: body });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].code).toBe('promotion_exists');
    const orphan = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/promotions',
      payload: { ...body, id: 'orphan', partner_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(orphan.statusCode).toBe(404);
    expect(orphan.json().errors[0].code).toBe('partner_not_found');
  });
});

describe('tokens', () => {
  it('mints user and app tokens that work on /v2', async () => {
    const partner = (await createPartner()).json();
    const account = (
      await ctx.admin({
        method: 'POST',
        url: '/admin/v1/accounts',
        payload: { email: 'mint@example.com', password: 'password123' },
      })
    ).json();
    await ctx.admin({
      method: 'POST',
      url: '/admin/v1/promotions',
      payload: { id: 'mint_promo', partner_id: partner.id, name: 'n' },
    });
    const user = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/tokens',
      payload: {
        client_id: partner.client_id,
        account_id: account.id,
        scope: 'promotions:write promotions:read',
      },
    });
    expect(user.statusCode).toBe(201);
    expect(user.headers['cache-control']).toBe('no-store');
    expect(user.json()).toEqual({
      access_token: expect.stringMatching(/^at_/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'promotions:read promotions:write',
    });
    const enrolled = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: bearer(user.json().access_token),
      payload: { promotion_id: 'mint_promo' },
    });
    expect(enrolled.statusCode).toBe(201);
    const app = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/tokens',
      payload: { client_id: partner.client_id, scope: 'promotions:read' },
    });
    const read = await ctx.app.inject({
      method: 'GET',
      url: enrolled.headers.location as string,
      headers: bearer(app.json().access_token),
    });
    expect(read.statusCode).toBe(200);
  });

  it('refuses scopes outside the partner’s and unknown clients or accounts', async () => {
    const partner = (await createPartner({ scopes: ['promotions:read'] })).json();
    const scope = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/tokens',
      payload: { client_id: partner.client_id, scope: 'promotions:write' },
    });
    expect(scope.statusCode).toBe(400);
    expect(scope.json().errors[0]).toMatchObject({ code: 'invalid_scope', source: { pointer: '/scope' } });
    const client = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/tokens',
      payload: { client_id: 'nobody', scope: 'promotions:read' },
    });
    expect(client.statusCode).toBe(404);
    expect(client.json().errors[0].code).toBe('partner_not_found');
    const account = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/tokens',
      payload: {
        client_id: partner.client_id,
        account_id: '00000000-0000-4000-8000-000000000000',
        scope: 'promotions:read',
      },
    });
    expect(account.statusCode).toBe(404);
    expect(account.json().errors[0].code).toBe('account_not_found');
  });
});

describe('values the database refuses', () => {
  it('answers 400, not 500, to a NUL character in a stored string, and stores nothing', async () => {
    const res = await createPartner({ name: 'Acme\u0000Evil' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      errors: [
        {
          status: '400',
          code: 'invalid_request',
          title: 'Invalid Request',
          detail: 'The request contains a value that cannot be stored (for example a NUL character).',
        },
      ],
    });
  });

  it('answers 404 to a promotion id that cannot exist, without asking the database', async () => {
    const res = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/%00' });
    expect(res.statusCode).toBe(404);
    expect(res.json().errors[0].code).toBe('promotion_not_found');
  });
});
