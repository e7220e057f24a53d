// CONTRACT §10: POST /admin/v1/bootstrap — a declared document applied idempotently, in one
// transaction: created, then unchanged; a changed field updated; a dry run that changes
// nothing; two applies at once; each change audited. Refusals: refusals.test.ts. Both backends
// (the file runs on PGlite and, with DATABASE_URL, on PostgreSQL).
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { verifySecret } from '../../src/auth/secrets.js';
import { queryRows } from '../../src/db/client.js';
import { accounts } from '../../src/db/schema.js';
import {
  document,
  HOOK_SECRET_1,
  HOOK_SECRET_2,
  NEW_SECRET,
  outcomes,
  PASSWORD_1,
  PASSWORD_2,
  SECRET,
  useBootstrapApp,
} from './helpers.js';

const { ctx, apply, clientCredentials, partnerRow } = useBootstrapApp();

describe('POST /admin/v1/bootstrap', () => {
  it('creates every declared object, then a second apply changes nothing', async () => {
    const first = await apply(document('a'));
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.json()).toEqual({
      dry_run: false,
      changes: [
        { kind: 'partner', key: 'acme-a', path: 'partners[0]', outcome: 'created', fields: [], detail: null },
        {
          kind: 'account',
          key: 'jane-a@example.com',
          path: 'accounts[0]',
          outcome: 'created',
          fields: [],
          detail: null,
        },
        {
          kind: 'promotion',
          key: 'promo_a',
          path: 'promotions[0]',
          outcome: 'created',
          fields: [],
          detail: null,
        },
        {
          kind: 'webhook_endpoint',
          key: 'acme-a http://127.0.0.1:4000/hooks/a',
          path: 'webhook_endpoints[0]',
          outcome: 'created',
          fields: [],
          detail: null,
        },
      ],
      summary: { created: 4, updated: 0, unchanged: 0, deleted: 0, ended: 0, kept: 0 },
    });

    // What was created works as declared: the client authenticates with the declared secret…
    const token = await clientCredentials('acme-a', SECRET);
    expect(token.statusCode).toBe(200);
    expect(token.json().scope).toBe('promotions:read promotions:write');
    const partner = await partnerRow('acme-a');
    expect(partner).toMatchObject({
      name: 'Acme',
      sandbox: true,
      redirectUris: ['http://127.0.0.1:4000/callback'],
    });
    // …stored only as an scrypt hash, as is the password.
    expect(partner!.clientSecretHash).toMatch(/^scrypt\$/);
    const [account] = await ctx.app.db
      .select()
      .from(accounts)
      .where(eq(accounts.email, 'jane-a@example.com'));
    expect(await verifySecret(PASSWORD_1, account!.passwordHash)).toBe(true);
    // The promotion as the admin API shows it, its instant kept to the whole second.
    const promotion = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/promo_a' });
    expect(promotion.json()).toMatchObject({
      partner_id: partner!.id,
      name: 'Spring',
      status: 'active',
      starts_at: '2026-03-31T22:00:00Z',
      ends_at: null,
      duration_days: 90,
      task_limit_per_month: 100,
      max_enrollments: null,
      allow_reenrollment: false,
      enrollments_count: 0,
    });
    const endpoints = await ctx.admin({
      method: 'GET',
      url: `/admin/v1/partners/${partner!.id}/webhook_endpoints`,
    });
    expect(endpoints.json().data).toEqual([
      expect.objectContaining({
        url: 'http://127.0.0.1:4000/hooks/a',
        event_types: ['enrollment.created'],
        status: 'enabled',
        description: null,
      }),
    ]);
    expect(await ctx.app.webhookEndpoints.currentSecret(endpoints.json().data[0].id)).toBe(HOOK_SECRET_1);

    const second = await apply(document('a'));
    expect(second.statusCode).toBe(200);
    expect(outcomes(second)).toEqual([
      ['acme-a', 'unchanged'],
      ['jane-a@example.com', 'unchanged'],
      ['promo_a', 'unchanged'],
      ['acme-a http://127.0.0.1:4000/hooks/a', 'unchanged'],
    ]);
    expect(second.json().summary).toEqual({
      created: 0,
      updated: 0,
      unchanged: 4,
      deleted: 0,
      ended: 0,
      kept: 0,
    });
    // Nothing was rewritten: the same hash, the same single endpoint.
    expect((await partnerRow('acme-a'))!.clientSecretHash).toBe(partner!.clientSecretHash);
    const again = await ctx.admin({
      method: 'GET',
      url: `/admin/v1/partners/${partner!.id}/webhook_endpoints`,
    });
    expect(again.json().data).toHaveLength(1);
  });

  it('updates exactly the fields that changed, secrets included, and absent fields take their defaults', async () => {
    expect((await apply(document('b'))).statusCode).toBe(200);
    const changed = document('b');
    changed.partners[0] = {
      ...changed.partners[0]!,
      name: 'Acme Automations',
      client_secret: NEW_SECRET,
      redirect_uris: ['http://127.0.0.1:4000/callback', 'https://acme.example/cb'],
    };
    changed.accounts[0] = { ...changed.accounts[0]!, password: PASSWORD_2 };
    const { task_limit_per_month: _dropped, ...promotion } = changed.promotions[0]!;
    changed.promotions[0] = { ...promotion, name: 'Spring 2026' } as (typeof changed.promotions)[0];
    changed.webhook_endpoints[0] = {
      ...changed.webhook_endpoints[0]!,
      event_types: ['enrollment.expired', 'enrollment.created'],
      secret: HOOK_SECRET_2,
    };
    const res = await apply(changed);
    expect(res.statusCode).toBe(200);
    expect(outcomes(res)).toEqual([
      ['acme-b', 'updated', 'name', 'redirect_uris', 'client_secret'],
      ['jane-b@example.com', 'updated', 'password'],
      ['promo_b', 'updated', 'name', 'task_limit_per_month'],
      ['acme-b http://127.0.0.1:4000/hooks/b', 'updated', 'event_types', 'secret'],
    ]);

    expect((await clientCredentials('acme-b', NEW_SECRET)).statusCode).toBe(200);
    expect((await clientCredentials('acme-b', SECRET)).statusCode).toBe(401);
    const [account] = await ctx.app.db
      .select()
      .from(accounts)
      .where(eq(accounts.email, 'jane-b@example.com'));
    expect(await verifySecret(PASSWORD_2, account!.passwordHash)).toBe(true);
    const promotionNow = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/promo_b' });
    expect(promotionNow.json()).toMatchObject({ name: 'Spring 2026', task_limit_per_month: null });
    // A new webhook secret rotates: the old one keeps signing beside it for 24 h.
    const [endpoint] = await queryRows<{ id: string; previous_secret: string | null; event_types: string[] }>(
      ctx.app.db,
      sql`select id, previous_secret, event_types from webhook_endpoints where url = 'http://127.0.0.1:4000/hooks/b'`,
    );
    expect(endpoint!.previous_secret).toBe(HOOK_SECRET_1);
    expect(endpoint!.event_types).toEqual(['enrollment.expired', 'enrollment.created']);
    expect(await ctx.app.webhookEndpoints.currentSecret(endpoint!.id)).toBe(HOOK_SECRET_2);

    // And the same document again is unchanged (event types compare as a set).
    expect(outcomes(await apply(changed)).map(([, outcome]) => outcome)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
  });

  it('disables a partner with status, idempotently, with one audit entry; absent, the status is enabled again', async () => {
    expect((await apply(document('s'))).statusCode).toBe(200);
    const disabled = document('s');
    disabled.partners[0] = { ...disabled.partners[0]!, status: 'disabled' } as (typeof disabled.partners)[0];
    expect(outcomes(await apply(disabled))[0]).toEqual(['acme-s', 'updated', 'status']);
    const refused = await clientCredentials('acme-s', SECRET);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ error: 'invalid_client', error_description: 'The client is disabled.' });
    const row = await partnerRow('acme-s');
    const read = await ctx.admin({ method: 'GET', url: `/admin/v1/partners/${row!.id}` });
    expect(read.json().status).toBe('disabled');
    const audit = await ctx.admin({ method: 'GET', url: '/admin/v1/audit_log?limit=1' });
    expect(audit.json().data[0]).toMatchObject({
      action: 'partner.updated',
      object_id: row!.id,
      changes: { status: { before: 'enabled', after: 'disabled' } },
    });
    // Applying it again changes nothing: the instant it was disabled stays.
    expect(outcomes(await apply(disabled))[0]).toEqual(['acme-s', 'unchanged']);
    expect((await partnerRow('acme-s'))!.disabledAt).toEqual(row!.disabledAt);
    expect(outcomes(await apply(document('s')))[0]).toEqual(['acme-s', 'updated', 'status']);
    expect((await clientCredentials('acme-s', SECRET)).statusCode).toBe(200);
  });

  it('ends a promotion as the admin API does, and applying it again keeps the instant it ended', async () => {
    expect((await apply(document('c'))).statusCode).toBe(200);
    const ended = document('c');
    ended.promotions[0] = { ...ended.promotions[0]!, status: 'ended' } as (typeof ended.promotions)[0];
    expect(outcomes(await apply(ended))[2]).toEqual(['promo_c', 'updated', 'status']);
    const read = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/promo_c' });
    // CONTRACT §3 rule 10: ending sets ends_at to the last second before now (the test clock's).
    expect(read.json()).toMatchObject({ status: 'ended', ends_at: '2026-04-28T09:59:59Z' });
    ctx.clock.advance(60_000);
    try {
      expect(outcomes(await apply(ended))[2]).toEqual(['promo_c', 'unchanged']);
      const later = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/promo_c' });
      expect(later.json().ends_at).toBe('2026-04-28T09:59:59Z');
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
    }
  });

  it('plans with dry_run: the same outcomes, and nothing changes', async () => {
    const res = await apply(document('d'), true);
    expect(res.statusCode).toBe(200);
    expect(res.json().dry_run).toBe(true);
    expect(outcomes(res)).toEqual([
      ['acme-d', 'created'],
      ['jane-d@example.com', 'created'],
      ['promo_d', 'created'],
      ['acme-d http://127.0.0.1:4000/hooks/d', 'created'],
    ]);
    expect(await partnerRow('acme-d')).toBeUndefined();
    expect((await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/promo_d' })).statusCode).toBe(404);
    expect((await clientCredentials('acme-d', SECRET)).statusCode).toBe(401);
  });

  it('applies one document sent twice at once without conflicting: one creates, the other finds it', async () => {
    const [one, two] = await Promise.all([apply(document('f')), apply(document('f'))]);
    expect([one.statusCode, two.statusCode]).toEqual([200, 200]);
    const summaries = [one.json().summary.created, two.json().summary.created].sort();
    expect(summaries).toEqual([0, 4]);
    const [count] = await queryRows<{ n: number }>(
      ctx.app.db,
      sql`select count(*)::int as n from webhook_endpoints where url = 'http://127.0.0.1:4000/hooks/f'`,
    );
    expect(count!.n).toBe(1);
  });

  it('audits each change it makes through the admin API, and nothing at start or in a dry run', async () => {
    const audited = async () =>
      queryRows<{ action: string; object_type: string; actor_kind: string }>(
        ctx.app.db,
        sql`select action, object_type, actor_kind from admin_audit_log
            where object_id in (select id::text from partners where client_id = 'acme-h')
               or object_id = 'promo_h'
               or object_id in (select id::text from accounts where email = 'jane-h@example.com')
               or object_id in (select id from webhook_endpoints where url = 'http://127.0.0.1:4000/hooks/h')
            order by seq`,
      );
    expect((await apply(document('h'), true)).statusCode).toBe(200);
    expect(await audited()).toEqual([]);
    expect((await apply(document('h'))).statusCode).toBe(200);
    expect(await audited()).toEqual([
      { action: 'partner.created', object_type: 'partner', actor_kind: 'admin_token' },
      { action: 'account.created', object_type: 'account', actor_kind: 'admin_token' },
      { action: 'promotion.created', object_type: 'promotion', actor_kind: 'admin_token' },
      { action: 'webhook_endpoint.created', object_type: 'webhook_endpoint', actor_kind: 'admin_token' },
    ]);
    // SEED_FILE's path: no actor, so the changes are made and nothing is recorded.
    const { parseBootstrapDocument } = await import('../../src/bootstrap/parse.js');
    const changed = document('h');
    changed.promotions[0] = { ...changed.promotions[0]!, name: 'Renamed at start' };
    const result = await ctx.app.bootstrapService.apply(parseBootstrapDocument(changed), { dryRun: false });
    expect(result.summary.updated).toBe(1);
    expect(await audited()).toHaveLength(4);
  });
});
