// CONTRACT §10: POST /admin/v1/bootstrap — a declared document applied idempotently, in one
// transaction: created, then unchanged; a changed field updated; a dry run that changes
// nothing; conflicts that name every object and change nothing; secrets never logged or
// answered. Both backends (the file runs on PGlite and, with DATABASE_URL, on PostgreSQL).
import { Writable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { verifySecret } from '../../src/auth/secrets.js';
import { queryRows } from '../../src/db/client.js';
import { accounts, partners } from '../../src/db/schema.js';
import { createLogger } from '../../src/ops/logging.js';
import { operatorWithKey } from '../admin/operator-helpers.js';
import { ADMIN_TOKEN, bearer, useTestApp } from '../helpers/app.js';
import { basic, FORM } from '../oauth/oauth-helpers.js';

// Markers no generated value can contain (base64url ids never have "~" or "!").
const SECRET = 'cs~bootstrap!client-secret-1';
const NEW_SECRET = 'cs~bootstrap!client-secret-2';
const PASSWORD_1 = 'pw~bootstrap!password-1';
const PASSWORD_2 = 'pw~bootstrap!password-2';
const HOOK_SECRET_1 = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const HOOK_SECRET_2 = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
const ctx = useTestApp({ loggerInstance: createLogger('trace', sink) });
const answers: string[] = [];

afterAll(() => {
  // Secrets never logged, never answered (issue 21 item 4).
  const everything = [...lines, ...answers].join('\n');
  for (const secret of [SECRET, NEW_SECRET, PASSWORD_1, PASSWORD_2, HOOK_SECRET_1, HOOK_SECRET_2]) {
    expect(everything).not.toContain(secret);
  }
  expect(lines.some((l) => l.includes('/admin/v1/bootstrap'))).toBe(true);
});

async function apply(document: unknown, dryRun = false) {
  const res = await ctx.admin({
    method: 'POST',
    url: '/admin/v1/bootstrap',
    payload: { document, dry_run: dryRun },
  });
  answers.push(res.body);
  return res;
}

const outcomes = (res: { json(): { changes: Array<{ key: string; outcome: string; fields: string[] }> } }) =>
  res.json().changes.map((c) => [c.key, c.outcome, ...c.fields]);

function document(suffix: string, overrides: Record<string, unknown> = {}) {
  return {
    partners: [
      {
        client_id: `acme-${suffix}`,
        name: 'Acme',
        client_secret: SECRET,
        redirect_uris: ['http://127.0.0.1:4000/callback'],
        sandbox: true,
      },
    ],
    accounts: [{ email: `jane-${suffix}@example.com`, password: PASSWORD_1 }],
    promotions: [
      {
        id: `promo_${suffix}`,
        partner: `acme-${suffix}`,
        name: 'Spring',
        duration_days: 90,
        task_limit_per_month: 100,
        starts_at: '2026-04-01T00:00:00.250+02:00',
      },
    ],
    webhook_endpoints: [
      {
        partner: `acme-${suffix}`,
        url: `http://127.0.0.1:4000/hooks/${suffix}`,
        event_types: ['enrollment.created'],
        secret: HOOK_SECRET_1,
      },
    ],
    ...overrides,
  };
}

const clientCredentials = (clientId: string, secret: string) =>
  ctx.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { ...FORM, authorization: basic(clientId, secret) },
    payload: 'grant_type=client_credentials',
  });

async function partnerRow(clientId: string) {
  const [row] = await ctx.app.db.select().from(partners).where(eq(partners.clientId, clientId));
  return row;
}

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

  it('lists every object the database refuses (409 bootstrap_conflict) and changes nothing', async () => {
    // An existing promotion of another partner, a budget already spent, a test-clock account.
    const other = await ctx.fixtures.partner({ sandbox: true });
    await ctx.fixtures.promotion(other.id, { id: 'owned_elsewhere' });
    const budgeted = await ctx.fixtures.promotion(other.id, { id: 'budgeted', maxEnrollments: 5 });
    const account = await ctx.fixtures.account();
    const token = await ctx.fixtures.userToken(other.id, account.id);
    const enrolled = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: { promotion_id: budgeted },
    });
    expect(enrolled.statusCode).toBe(201);
    const appToken = await ctx.fixtures.appToken(other.id);
    const clock = await ctx.app.inject({
      method: 'POST',
      url: '/v2/test_helpers/test_clocks',
      headers: { authorization: `Bearer ${appToken}`, 'content-type': 'application/json' },
      payload: { frozen_time: '2026-04-28T10:00:00Z' },
    });
    const clockAccount = await ctx.app.inject({
      method: 'POST',
      url: `/v2/test_helpers/test_clocks/${clock.json().id}/accounts`,
      headers: { authorization: `Bearer ${appToken}`, 'content-type': 'application/json' },
      payload: { email: 'clock-user@acme.example' },
    });
    expect(clockAccount.statusCode).toBe(201);

    const doc = document('e', {
      accounts: [{ email: 'Clock-User@acme.example', password: PASSWORD_1 }],
      promotions: [
        { id: 'owned_elsewhere', partner: 'acme-e', name: 'Mine now?' },
        { id: 'budgeted', partner: other.clientId, name: 'Budgeted', max_enrollments: 0 },
        { id: 'orphan', partner: 'nobody-here', name: 'Orphan' },
      ],
    });
    const res = await apply(doc);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      errors: [
        {
          status: '409',
          code: 'bootstrap_conflict',
          title: 'Bootstrap Conflict',
          detail:
            'accounts[0].email: is the email of a test-clock account (CONTRACT §9), which a file cannot declare',
          source: { pointer: '/document/accounts/0/email' },
        },
        {
          status: '409',
          code: 'bootstrap_conflict',
          title: 'Bootstrap Conflict',
          detail: `promotions[0].partner: promotion owned_elsewhere belongs to the partner ${other.clientId}, and a promotion's partner cannot change`,
          source: { pointer: '/document/promotions/0/partner' },
        },
        {
          status: '409',
          code: 'bootstrap_conflict',
          title: 'Bootstrap Conflict',
          detail: 'promotions[1].max_enrollments: is below the 1 enrollments promotion budgeted already has',
          source: { pointer: '/document/promotions/1/max_enrollments' },
        },
        {
          status: '409',
          code: 'bootstrap_conflict',
          title: 'Bootstrap Conflict',
          detail:
            'promotions[2].partner: no partner has the client_id nobody-here: declare it under partners',
          source: { pointer: '/document/promotions/2/partner' },
        },
      ],
    });
    // One transaction: the valid partner of the same document was not created either.
    expect(await partnerRow('acme-e')).toBeUndefined();
    expect(
      (await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/owned_elsewhere' })).json().partner_id,
    ).toBe(other.id);
  });

  it('answers 400 invalid_request with one error per problem, pointing into the document', async () => {
    const res = await apply({
      partners: [{ client_id: 'x', name: 'X', client_secret: 'short', redirect_uris: [] }],
      promotions: [{ id: 'p', partner: 'x', name: 'P', duration_days: -1, extra: 1 }],
    });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .errors.map((e: { detail: string; source: { pointer: string } }) => [e.detail, e.source.pointer]),
    ).toEqual([
      [
        'partners[0].client_id: must be 3-64 characters of letters, digits, ".", "_", "~" or "-", starting with a letter or digit',
        '/document/partners/0/client_id',
      ],
      [
        'partners[0].redirect_uris: must list at least one redirect URI',
        '/document/partners/0/redirect_uris',
      ],
      [
        'partners[0].client_secret: must be 16 to 200 printable ASCII characters, without spaces',
        '/document/partners/0/client_secret',
      ],
      ['promotions[0].duration_days: must be a positive integer', '/document/promotions/0/duration_days'],
      ['promotions[0].extra: is not a field of a promotion', '/document/promotions/0/extra'],
    ]);
    expect(res.json().errors[0]).toMatchObject({
      status: '400',
      code: 'invalid_request',
      title: 'Invalid Request',
    });
    const missing = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/bootstrap',
      payload: { dry_run: true },
    });
    answers.push(missing.body);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0]).toMatchObject({
      code: 'invalid_request',
      source: { pointer: '/document' },
    });
  });

  it('needs the admin token', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/admin/v1/bootstrap',
      payload: { document: {} },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="admin"');
    expect(ADMIN_TOKEN).not.toBe('');
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

  it('needs the owner role: it registers partners and sets their secrets (CONTRACT §11)', async () => {
    const editor = await operatorWithKey(ctx, 'editor');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/admin/v1/bootstrap',
      headers: bearer(editor.key),
      payload: { document: document('g'), dry_run: true },
    });
    answers.push(res.body);
    expect(res.statusCode).toBe(403);
    expect(res.json().errors[0]).toMatchObject({ code: 'permission_denied' });
    expect(await partnerRow('acme-g')).toBeUndefined();
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
