// CONTRACT §11: every admin write records exactly one audit entry with the right diff, in the
// transaction of the change (a failed write records none; an entry that cannot be written
// rolls the change back), and GET /admin/v1/audit_log pages and filters them.
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { OPERATOR_PASSWORD, operatorWithKey } from '../admin/operator-helpers.js';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { loadContract } from '../helpers/contract.js';
import { requestsFor } from '../helpers/requests.js';

const ctx = useTestApp();
const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Entry {
  id: string;
  at: string;
  actor: { kind: string; operator_id: string | null; email: string | null; api_key_id: string | null };
  action: string;
  object_type: string;
  object_id: string;
  changes: Record<string, { before: unknown; after: unknown }>;
  request_id: string;
  via: string;
}

const count = async () =>
  (await queryRows<{ n: number }>(ctx.app.db, sql`select count(*)::int as n from admin_audit_log`))[0]!.n;

async function newest(): Promise<Entry> {
  const res = await ctx.admin({ method: 'GET', url: '/admin/v1/audit_log?limit=1' });
  expect(res.statusCode).toBe(200);
  return res.json().data[0];
}

let partner: PartnerFixture;
let sandbox: PartnerFixture;
let promotionId: string;
let enrollmentId: string;
let endpointId: string;
let eventId: string;
let clockId: string;
let operatorId: string;
let keyId: string;
let editor: Awaited<ReturnType<typeof operatorWithKey>>;
let viewer: Awaited<ReturnType<typeof operatorWithKey>>;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
  sandbox = await ctx.fixtures.partner({ sandbox: true });
  promotionId = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 5 });
  const endpoint = await ctx.app.webhookService.create(partner.id, {
    url: 'http://127.0.0.1:9/hooks',
    event_types: ['enrollment.created'],
  });
  endpointId = endpoint.id;
  ({ enrollmentId } = await requestsFor(ctx, () => partner).enrollNew(promotionId));
  eventId = (await ctx.app.webhookService.events(partner.id, { limit: 1 })).data[0]!.id;
  clockId = (
    await ctx.app.testClockService.create(sandbox.id, {
      frozenTime: new Date('2026-01-31T10:00:00Z'),
      name: null,
    })
  ).id;
  editor = await operatorWithKey(ctx, 'editor');
  viewer = await operatorWithKey(ctx, 'viewer');
  const owner = await operatorWithKey(ctx, 'owner');
  operatorId = owner.operator.id;
  keyId = owner.keyId;
});

interface Case {
  /** `METHOD /admin/v1/template` as in openapi/admin.yaml. */
  operation: string;
  ok: () => Promise<LightMyRequestResponse>;
  status: number;
  expected: () => Partial<Entry>;
  /** A refused call of the same route after authentication (404, 409, 400 inside the service). */
  fail: () => Promise<LightMyRequestResponse>;
  failStatus: number;
  /** Values that must never appear in the entry (secrets, passwords). */
  secrets?: (res: LightMyRequestResponse) => string[];
}

const call = (method: string, url: string, payload?: unknown) =>
  ctx.admin({
    method: method as 'GET',
    url,
    headers: { 'x-request-id': 'audit-test-request' },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
const noPartner = '00000000-0000-4000-8000-000000000009';
let created: Record<string, string> = {};

const CASES: Case[] = [
  {
    operation: 'POST /admin/v1/partners',
    ok: () =>
      call('POST', '/admin/v1/partners', { name: 'Audited', redirect_uris: ['https://a.example/cb'] }),
    status: 201,
    expected: () => ({
      action: 'partner.created',
      object_type: 'partner',
      changes: {
        id: { before: null, after: created.partner },
        name: { before: null, after: 'Audited' },
        client_id: { before: null, after: created.clientId },
        redirect_uris: { before: null, after: ['https://a.example/cb'] },
        scopes: { before: null, after: ['promotions:read', 'promotions:write'] },
        sandbox: { before: null, after: false },
        status: { before: null, after: 'enabled' },
      },
    }),
    fail: () => call('POST', '/admin/v1/partners', { name: 'x', redirect_uris: ['nope'] }),
    failStatus: 400,
    secrets: (res) => [res.json().client_secret],
  },
  {
    operation: 'PATCH /admin/v1/partners/{partner_id}',
    ok: () =>
      call('PATCH', `/admin/v1/partners/${created.partner}`, {
        status: 'disabled',
        redirect_uris: ['https://b.example/cb'],
      }),
    status: 200,
    expected: () => ({
      action: 'partner.updated',
      object_type: 'partner',
      object_id: created.partner,
      changes: {
        redirect_uris: { before: ['https://a.example/cb'], after: ['https://b.example/cb'] },
        status: { before: 'enabled', after: 'disabled' },
      },
    }),
    fail: () => call('PATCH', `/admin/v1/partners/${noPartner}`, { status: 'enabled' }),
    failStatus: 404,
  },
  {
    operation: 'POST /admin/v1/partners/{partner_id}/rotate_secret',
    ok: () => call('POST', `/admin/v1/partners/${partner.id}/rotate_secret`),
    status: 200,
    expected: () => ({
      action: 'partner.secret_rotated',
      object_type: 'partner',
      object_id: partner.id,
      changes: {},
    }),
    fail: () => call('POST', `/admin/v1/partners/${noPartner}/rotate_secret`),
    failStatus: 404,
    secrets: (res) => [res.json().client_secret],
  },
  {
    operation: 'POST /admin/v1/accounts',
    ok: () => call('POST', '/admin/v1/accounts', { email: 'audited@example.com', password: 'pass-word-9f3' }),
    status: 201,
    expected: () => ({
      action: 'account.created',
      object_type: 'account',
      changes: {
        id: { before: null, after: created.account },
        email: { before: null, after: 'audited@example.com' },
        external_id: { before: null, after: null },
      },
    }),
    fail: () =>
      call('POST', '/admin/v1/accounts', { email: 'AUDITED@example.com', password: 'pass-word-9f3' }),
    failStatus: 409,
    secrets: () => ['pass-word-9f3'],
  },
  {
    // CONTRACT §12.1: the platform's id of the account.
    operation: 'PATCH /admin/v1/accounts/{account_id}',
    ok: () => call('PATCH', `/admin/v1/accounts/${created.account}`, { external_id: 'audited-ext' }),
    status: 200,
    expected: () => ({
      action: 'account.updated',
      object_type: 'account',
      object_id: created.account,
      changes: { external_id: { before: null, after: 'audited-ext' } },
    }),
    fail: () => call('PATCH', `/admin/v1/accounts/${created.account}`, { external_id: 'not valid' }),
    failStatus: 400,
  },
  {
    // CONTRACT §12.3: one entry per request that records events, with its counts.
    operation: 'POST /admin/v1/usage_events',
    ok: () =>
      call('POST', '/admin/v1/usage_events', {
        events: [
          { id: 'audited-event-1', external_account_id: 'audited-ext', tasks: 3 },
          { id: 'audited-event-2', account_id: created.account, tasks: 0 },
        ],
      }),
    status: 200,
    expected: () => ({
      action: 'usage_events.recorded',
      object_type: 'usage_events',
      object_id: 'audit-test-request',
      changes: {
        recorded: { before: null, after: 1 },
        rejected: { before: null, after: 1 },
        tasks: { before: null, after: 3 },
        sponsored: { before: null, after: 0 },
      },
    }),
    fail: () => call('POST', '/admin/v1/usage_events', { events: [] }),
    failStatus: 400,
  },
  {
    operation: 'POST /admin/v1/promotions',
    ok: () =>
      call('POST', '/admin/v1/promotions', {
        id: 'audited_promo',
        partner_id: partner.id,
        name: 'Audited',
        max_enrollments: 10,
      }),
    status: 201,
    expected: () => ({
      action: 'promotion.created',
      object_type: 'promotion',
      object_id: 'audited_promo',
      changes: {
        id: { before: null, after: 'audited_promo' },
        partner_id: { before: null, after: partner.id },
        name: { before: null, after: 'Audited' },
        status: { before: null, after: 'active' },
        starts_at: { before: null, after: null },
        ends_at: { before: null, after: null },
        duration_days: { before: null, after: null },
        task_limit_per_month: { before: null, after: null },
        max_enrollments: { before: null, after: 10 },
        allow_reenrollment: { before: null, after: false },
        enrollments_count: { before: null, after: 0 },
      },
    }),
    fail: () =>
      call('POST', '/admin/v1/promotions', { id: 'audited_promo', partner_id: partner.id, name: 'Again' }),
    failStatus: 409,
  },
  {
    operation: 'PATCH /admin/v1/promotions/{promotion_id}',
    ok: () =>
      call('PATCH', `/admin/v1/promotions/${promotionId}`, {
        status: 'paused',
        task_limit_per_month: 7,
        name: `Promotion ${promotionId}`,
      }),
    status: 200,
    expected: () => ({
      action: 'promotion.updated',
      object_type: 'promotion',
      object_id: promotionId,
      // The name did not change: it is not in the diff.
      changes: {
        status: { before: 'active', after: 'paused' },
        task_limit_per_month: { before: 5, after: 7 },
      },
    }),
    fail: () => call('PATCH', `/admin/v1/promotions/${promotionId}`, { max_enrollments: 0 }),
    failStatus: 409,
  },
  {
    operation: 'POST /admin/v1/enrollments/{enrollment_id}/usage',
    ok: () => call('POST', `/admin/v1/enrollments/${enrollmentId}/usage`, { tasks: 2 }),
    status: 200,
    expected: () => ({
      action: 'usage.recorded',
      object_type: 'enrollment',
      object_id: enrollmentId,
      changes: { tasks_used: { before: 0, after: 2 } },
    }),
    fail: () =>
      call('POST', `/admin/v1/enrollments/${promotionId}:00000000-0000-4000-8000-000000000000/usage`, {
        tasks: 1,
      }),
    failStatus: 404,
  },
  {
    operation: 'POST /admin/v1/tokens',
    ok: () => call('POST', '/admin/v1/tokens', { client_id: partner.clientId, scope: 'promotions:read' }),
    status: 201,
    expected: () => ({
      action: 'token.minted',
      object_type: 'access_token',
      object_id: created.tokenId,
      changes: {
        partner_id: { before: null, after: partner.id },
        account_id: { before: null, after: null },
        scope: { before: null, after: 'promotions:read' },
      },
    }),
    fail: () => call('POST', '/admin/v1/tokens', { client_id: 'ci_none', scope: 'promotions:read' }),
    failStatus: 404,
    secrets: (res) => [res.json().access_token, res.json().access_token.split('.')[1]],
  },
  {
    operation: 'POST /admin/v1/partners/{partner_id}/webhook_endpoints',
    ok: () =>
      call('POST', `/admin/v1/partners/${partner.id}/webhook_endpoints`, {
        url: 'http://127.0.0.1:9/other',
        event_types: ['promotion.ended'],
      }),
    status: 201,
    expected: () => ({
      action: 'webhook_endpoint.created',
      object_type: 'webhook_endpoint',
      object_id: created.endpoint,
      changes: {
        partner_id: { before: null, after: partner.id },
        id: { before: null, after: created.endpoint },
        url: { before: null, after: 'http://127.0.0.1:9/other' },
        event_types: { before: null, after: ['promotion.ended'] },
        description: { before: null, after: null },
        status: { before: null, after: 'enabled' },
        disabled_reason: { before: null, after: null },
      },
    }),
    fail: () =>
      call('POST', `/admin/v1/partners/${noPartner}/webhook_endpoints`, { url: 'http://127.0.0.1:9/x' }),
    failStatus: 404,
    secrets: (res) => [res.json().secret],
  },
  {
    operation: 'PATCH /admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}',
    ok: () =>
      call('PATCH', `/admin/v1/partners/${partner.id}/webhook_endpoints/${endpointId}`, {
        description: 'CRM',
      }),
    status: 200,
    expected: () => ({
      action: 'webhook_endpoint.updated',
      object_type: 'webhook_endpoint',
      object_id: endpointId,
      changes: { description: { before: null, after: 'CRM' } },
    }),
    fail: () =>
      call('PATCH', `/admin/v1/partners/${partner.id}/webhook_endpoints/we_none`, { description: 'x' }),
    failStatus: 404,
  },
  {
    operation: 'POST /admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}/rotate_secret',
    ok: () => call('POST', `/admin/v1/partners/${partner.id}/webhook_endpoints/${endpointId}/rotate_secret`),
    status: 200,
    expected: () => ({
      action: 'webhook_endpoint.secret_rotated',
      object_type: 'webhook_endpoint',
      object_id: endpointId,
      changes: {},
    }),
    fail: () => call('POST', `/admin/v1/partners/${partner.id}/webhook_endpoints/we_none/rotate_secret`),
    failStatus: 404,
    secrets: (res) => [res.json().secret],
  },
  {
    operation: 'POST /admin/v1/partners/{partner_id}/events/{event_id}/redeliver',
    ok: () => call('POST', `/admin/v1/partners/${partner.id}/events/${eventId}/redeliver`),
    status: 202,
    expected: () => ({
      action: 'event.redelivered',
      object_type: 'event',
      object_id: eventId,
      changes: { deliveries: { before: null, after: 1 } },
    }),
    fail: () => call('POST', `/admin/v1/partners/${sandbox.id}/events/${eventId}/redeliver`),
    failStatus: 404,
  },
  {
    operation: 'DELETE /admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}',
    ok: () => call('DELETE', `/admin/v1/partners/${partner.id}/webhook_endpoints/${created.endpoint}`),
    status: 204,
    expected: () => ({
      action: 'webhook_endpoint.deleted',
      object_type: 'webhook_endpoint',
      object_id: created.endpoint,
      changes: {},
    }),
    fail: () => call('DELETE', `/admin/v1/partners/${partner.id}/webhook_endpoints/${created.endpoint}`),
    failStatus: 404,
  },
  {
    operation: 'POST /admin/v1/partners/{partner_id}/test_clocks/{test_clock_id}/advance',
    ok: () =>
      call('POST', `/admin/v1/partners/${sandbox.id}/test_clocks/${clockId}/advance`, {
        frozen_time: '2026-02-28T10:00:00Z',
      }),
    status: 200,
    expected: () => ({
      action: 'test_clock.advanced',
      object_type: 'test_clock',
      object_id: clockId,
      changes: { frozen_time: { before: '2026-01-31T10:00:00Z', after: '2026-02-28T10:00:00Z' } },
    }),
    fail: () =>
      call('POST', `/admin/v1/partners/${sandbox.id}/test_clocks/${clockId}/advance`, {
        frozen_time: '2026-01-01T00:00:00Z',
      }),
    failStatus: 400,
  },
  {
    operation: 'POST /admin/v1/operators',
    ok: () =>
      call('POST', '/admin/v1/operators', {
        email: 'audited-op@example.com',
        password: 'operator-secret-77',
        role: 'viewer',
      }),
    status: 201,
    expected: () => ({
      action: 'operator.created',
      object_type: 'operator',
      object_id: created.operator,
      changes: {
        id: { before: null, after: created.operator },
        email: { before: null, after: 'audited-op@example.com' },
        role: { before: null, after: 'viewer' },
        disabled: { before: null, after: false },
        disabled_at: { before: null, after: null },
      },
    }),
    fail: () =>
      call('POST', '/admin/v1/operators', {
        email: 'audited-op@example.com',
        password: 'operator-secret-77',
        role: 'viewer',
      }),
    failStatus: 409,
    secrets: () => ['operator-secret-77'],
  },
  {
    operation: 'PATCH /admin/v1/operators/{operator_id}',
    ok: () => call('PATCH', `/admin/v1/operators/${created.operator}`, { role: 'editor' }),
    status: 200,
    expected: () => ({
      action: 'operator.updated',
      object_type: 'operator',
      object_id: created.operator,
      changes: { role: { before: 'viewer', after: 'editor' } },
    }),
    fail: () => call('PATCH', `/admin/v1/operators/${noPartner}`, { role: 'editor' }),
    failStatus: 404,
  },
  {
    operation: 'POST /admin/v1/operators/{operator_id}/reset_password',
    ok: () => call('POST', `/admin/v1/operators/${created.operator}/reset_password`),
    status: 200,
    expected: () => ({
      action: 'operator.password_reset',
      object_type: 'operator',
      object_id: created.operator,
      // A password field, even this flag, is never diffed: the action says what happened.
      changes: {},
    }),
    fail: () => call('POST', `/admin/v1/operators/${noPartner}/reset_password`),
    failStatus: 404,
    secrets: (res) => [res.json().temporary_password],
  },
  {
    operation: 'POST /admin/v1/operators/me/password',
    ok: () =>
      ctx.app.inject({
        method: 'POST',
        url: '/admin/v1/operators/me/password',
        headers: { ...bearer(viewer.key), 'x-request-id': 'audit-test-request' },
        payload: { current_password: OPERATOR_PASSWORD, new_password: 'pw~audited!new-password' },
      }),
    status: 200,
    expected: () => ({
      actor: {
        kind: 'api_key',
        operator_id: viewer.operator.id,
        email: viewer.operator.email,
        api_key_id: viewer.keyId,
      },
      action: 'operator.password_changed',
      object_type: 'operator',
      object_id: viewer.operator.id,
      changes: {},
    }),
    fail: () =>
      ctx.app.inject({
        method: 'POST',
        url: '/admin/v1/operators/me/password',
        headers: bearer(viewer.key),
        payload: { current_password: OPERATOR_PASSWORD, new_password: 'pw~audited!other-password' },
      }),
    failStatus: 400,
    secrets: () => [OPERATOR_PASSWORD, 'pw~audited!new-password'],
  },
  {
    operation: 'POST /admin/v1/operators/{operator_id}/api_keys',
    ok: () => call('POST', `/admin/v1/operators/${created.operator}/api_keys`, { name: 'audited key' }),
    status: 201,
    expected: () => ({
      action: 'api_key.created',
      object_type: 'api_key',
      object_id: created.key,
      changes: {
        id: { before: null, after: created.key },
        operator_id: { before: null, after: created.operator },
        name: { before: null, after: 'audited key' },
        role: { before: null, after: 'editor' },
        last_used_at: { before: null, after: null },
        revoked_at: { before: null, after: null },
      },
    }),
    fail: () =>
      call('POST', `/admin/v1/operators/${created.operator}/api_keys`, { name: 'x', role: 'owner' }),
    failStatus: 400,
    secrets: (res) => [res.json().key, res.json().key.split('.')[1]],
  },
  {
    // CONTRACT §10: an entry per object the document changes (here one), in the apply's transaction.
    operation: 'POST /admin/v1/bootstrap',
    ok: () =>
      call('POST', '/admin/v1/bootstrap', {
        document: { accounts: [{ email: 'declared@example.com', password: 'declared-password-55' }] },
      }),
    status: 200,
    expected: () => ({
      action: 'account.created',
      object_type: 'account',
      changes: {
        id: { before: null, after: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f-]{27}$/) },
        email: { before: null, after: 'declared@example.com' },
        external_id: { before: null, after: null },
      },
    }),
    // Valid, but the promotion names no partner: refused as a whole, nothing recorded.
    fail: () =>
      call('POST', '/admin/v1/bootstrap', {
        document: {
          accounts: [{ email: 'declared-too@example.com', password: 'declared-password-55' }],
          promotions: [{ id: 'declared', partner: 'nobody-here', name: 'D' }],
        },
      }),
    failStatus: 409,
    secrets: () => ['declared-password-55'],
  },
  {
    operation: 'DELETE /admin/v1/operators/{operator_id}/api_keys/{key_id}',
    ok: () => call('DELETE', `/admin/v1/operators/${operatorId}/api_keys/${keyId}`),
    status: 204,
    expected: () => ({
      action: 'api_key.revoked',
      object_type: 'api_key',
      object_id: keyId,
      changes: { revoked_at: { before: null, after: '2026-04-28T10:00:00Z' } },
    }),
    fail: () => call('DELETE', `/admin/v1/operators/${operatorId}/api_keys/${keyId}`),
    failStatus: 404,
  },
];

/** What each successful call created, for the expectations of this and later cases. */
function remember(operation: string, res: LightMyRequestResponse) {
  const body = res.body ? res.json() : {};
  if (operation === 'POST /admin/v1/partners')
    created = { ...created, partner: body.id, clientId: body.client_id };
  if (operation === 'POST /admin/v1/accounts') created.account = body.id;
  if (operation === 'POST /admin/v1/tokens') created.tokenId = body.access_token.slice(3, 25);
  if (
    operation.startsWith('POST /admin/v1/partners/{partner_id}/webhook_endpoints') &&
    !operation.includes('rotate')
  )
    created.endpoint = body.id;
  if (operation === 'POST /admin/v1/operators') created.operator = body.id;
  if (operation === 'POST /admin/v1/operators/{operator_id}/api_keys') created.key = body.id;
}

describe('every admin write records exactly one entry', () => {
  it('covers every write operation of openapi/admin.yaml', () => {
    const doc = loadContract().documents['admin.yaml'] as { paths: Record<string, Record<string, unknown>> };
    const writes = Object.entries(doc.paths).flatMap(([path, item]) =>
      ['post', 'patch', 'delete', 'put']
        .filter((m) => item[m] && path.startsWith('/admin/v1/'))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(CASES.map((c) => c.operation).sort()).toEqual(writes.sort());
  });

  for (const c of CASES) {
    it(`${c.operation}: one entry with the diff; a refused call none`, async () => {
      const before = await count();
      const res = await c.ok();
      expect(res.statusCode, res.body).toBe(c.status);
      remember(c.operation, res);
      expect(await count()).toBe(before + 1);
      const entry = await newest();
      expect(entry).toEqual({
        id: expect.stringMatching(UUID7),
        at: '2026-04-28T10:00:00Z',
        actor: { kind: 'admin_token', operator_id: null, email: null, api_key_id: null },
        object_id: expect.any(String),
        request_id: 'audit-test-request',
        via: 'api',
        ...c.expected(),
      });
      for (const secret of c.secrets?.(res) ?? []) {
        expect(secret.length).toBeGreaterThan(8);
        expect(JSON.stringify(entry)).not.toContain(secret);
      }

      const failed = await c.fail();
      expect(failed.statusCode, failed.body).toBe(c.failStatus);
      expect(await count()).toBe(before + 1);
    });
  }
});

describe('attribution', () => {
  it("names the operator and the key that made a change, and the request's id", async () => {
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/admin/v1/promotions/${promotionId}`,
      headers: { ...bearer(editor.key), 'x-request-id': 'req-by-editor' },
      payload: { status: 'active' },
    });
    expect(res.statusCode).toBe(200);
    expect(await newest()).toMatchObject({
      actor: {
        kind: 'api_key',
        operator_id: editor.operator.id,
        email: editor.operator.email,
        api_key_id: editor.keyId,
      },
      action: 'promotion.updated',
      changes: { status: { before: 'paused', after: 'active' } },
      request_id: 'req-by-editor',
      via: 'api',
    });
  });

  it('a usage replay (same idempotency key) changes nothing and records an entry without changes', async () => {
    const body = { tasks: 1, idempotency_key: 'replayed-run' };
    const first = await call('POST', `/admin/v1/enrollments/${enrollmentId}/usage`, body);
    expect(first.statusCode).toBe(200);
    const again = await call('POST', `/admin/v1/enrollments/${enrollmentId}/usage`, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect((await newest()).changes).toEqual({});
  });
});

describe('in the transaction of the change', () => {
  it('a change whose entry cannot be written is rolled back: 500, nothing changed', async () => {
    await ctx.app.db.execute(sql`create function refuse_audit() returns trigger language plpgsql as
      $$ begin raise exception 'audit refused by the test'; end $$`);
    await ctx.app.db.execute(sql`create trigger refuse_audit before insert on admin_audit_log
      for each row execute function refuse_audit()`);
    try {
      const before = await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${promotionId}` });
      const res = await call('PATCH', `/admin/v1/promotions/${promotionId}`, { status: 'ended' });
      expect(res.statusCode).toBe(500);
      const after = await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${promotionId}` });
      expect(after.json()).toEqual(before.json());
      const account = await call('POST', '/admin/v1/accounts', {
        email: 'rolled-back@example.com',
        password: 'pass-word-9f3',
      });
      expect(account.statusCode).toBe(500);
      expect(await ctx.app.accountsRepository.findByEmail('rolled-back@example.com')).toBeUndefined();
    } finally {
      await ctx.app.db.execute(sql`drop trigger refuse_audit on admin_audit_log`);
      await ctx.app.db.execute(sql`drop function refuse_audit()`);
    }
  });
});

describe('GET /admin/v1/audit_log', () => {
  it('filters by actor, action, object and time, and pages newest first', async () => {
    const byObject = await ctx.admin({
      method: 'GET',
      url: `/admin/v1/audit_log?object_type=promotion&object_id=${promotionId}`,
    });
    expect(byObject.statusCode).toBe(200);
    const actions = byObject.json().data.map((e: Entry) => [e.action, e.changes.status?.after]);
    expect(actions).toEqual([
      ['promotion.updated', 'active'],
      ['promotion.updated', 'paused'],
    ]);

    for (const actor of [editor.operator.id, editor.operator.email.toUpperCase()]) {
      const res = await ctx.admin({
        method: 'GET',
        url: `/admin/v1/audit_log?actor=${encodeURIComponent(actor)}`,
      });
      expect(res.json().data.map((e: Entry) => e.request_id)).toEqual(['req-by-editor']);
    }
    const tokenOnly = await ctx.admin({
      method: 'GET',
      url: '/admin/v1/audit_log?actor=admin_token&limit=100',
    });
    expect(tokenOnly.json().data.every((e: Entry) => e.actor.kind === 'admin_token')).toBe(true);

    const byAction = await ctx.admin({ method: 'GET', url: '/admin/v1/audit_log?action=partner.created' });
    expect(byAction.json().data.map((e: Entry) => e.object_id)).toEqual([created.partner]);

    const since = await ctx.admin({ method: 'GET', url: '/admin/v1/audit_log?since=2026-04-28T10:00:01Z' });
    expect(since.json()).toEqual({ data: [], next_cursor: null });
    const until = await ctx.admin({ method: 'GET', url: '/admin/v1/audit_log?until=2026-04-28T10:00:00Z' });
    expect(until.json()).toEqual({ data: [], next_cursor: null });

    // Pages of 5 walk every entry once, newest first.
    const all: Entry[] = [];
    let cursor: string | null = null;
    do {
      const res: LightMyRequestResponse = await ctx.admin({
        method: 'GET',
        url: `/admin/v1/audit_log?limit=5${cursor ? `&cursor=${cursor}` : ''}`,
      });
      all.push(...res.json().data);
      cursor = res.json().next_cursor;
    } while (cursor);
    expect(all).toHaveLength(await count());
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(all[0]).toEqual(await newest());
  });

  it('refuses an actor that is neither an id, an email nor admin_token, and a bad cursor (400)', async () => {
    const actor = await ctx.admin({ method: 'GET', url: '/admin/v1/audit_log?actor=someone' });
    expect(actor.statusCode).toBe(400);
    expect(actor.json().errors[0]).toEqual({
      status: '400',
      code: 'invalid_request',
      title: 'Invalid Request',
      detail: 'actor: must be an operator id, an email or admin_token.',
      source: { parameter: 'actor' },
    });
    const cursor = await ctx.admin({ method: 'GET', url: '/admin/v1/audit_log?cursor=nope' });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().errors[0].source).toEqual({ parameter: 'cursor' });
  });

  it('is readable by a viewer', async () => {
    const viewer = await operatorWithKey(ctx, 'viewer');
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/admin/v1/audit_log',
      headers: bearer(viewer.key),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.length).toBeGreaterThan(10);
  });
});
