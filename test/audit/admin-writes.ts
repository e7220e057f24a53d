// Every write operation of openapi/admin.yaml (CONTRACT §11), each with the audit entry a successful
// call records and a refused call of the same route, for test/audit/admin-api.test.ts. The cases run
// in this order on one database: later ones act on what earlier ones created.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { OPERATOR_PASSWORD, type operatorWithKey } from '../admin/operator-helpers.js';
import { bearer, type PartnerFixture, type TestContext } from '../helpers/app.js';

export interface Entry {
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

/** What the cases act on, made before they run. */
export interface Fixtures {
  partner: PartnerFixture;
  sandbox: PartnerFixture;
  promotionId: string;
  enrollmentId: string;
  endpointId: string;
  eventId: string;
  clockId: string;
  operatorId: string;
  keyId: string;
  viewer: Awaited<ReturnType<typeof operatorWithKey>>;
}

/** Ids the successful calls created (`remember`), for the expectations of this and later cases. */
export type Created = Record<string, string>;

export interface Case {
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

/** An admin call carrying the request id every case's entry records. */
export const auditedCall = (ctx: TestContext) => (method: string, url: string, payload?: unknown) =>
  ctx.admin({
    method: method as 'GET',
    url,
    headers: { 'x-request-id': 'audit-test-request' },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
const noPartner = '00000000-0000-4000-8000-000000000009';

/** The cases, on `ctx` and the fixtures `f` (filled before they run). */
export function adminWrites(ctx: TestContext, f: Fixtures, created: Created): Case[] {
  const call = auditedCall(ctx);
  return [
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
      ok: () => call('POST', `/admin/v1/partners/${f.partner.id}/rotate_secret`),
      status: 200,
      expected: () => ({
        action: 'partner.secret_rotated',
        object_type: 'partner',
        object_id: f.partner.id,
        changes: {},
      }),
      fail: () => call('POST', `/admin/v1/partners/${noPartner}/rotate_secret`),
      failStatus: 404,
      secrets: (res) => [res.json().client_secret],
    },
    {
      operation: 'POST /admin/v1/accounts',
      ok: () =>
        call('POST', '/admin/v1/accounts', { email: 'audited@example.com', password: 'pass-word-9f3' }),
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
          partner_id: f.partner.id,
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
          partner_id: { before: null, after: f.partner.id },
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
        call('POST', '/admin/v1/promotions', {
          id: 'audited_promo',
          partner_id: f.partner.id,
          name: 'Again',
        }),
      failStatus: 409,
    },
    {
      operation: 'PATCH /admin/v1/promotions/{promotion_id}',
      ok: () =>
        call('PATCH', `/admin/v1/promotions/${f.promotionId}`, {
          status: 'paused',
          task_limit_per_month: 7,
          name: `Promotion ${f.promotionId}`,
        }),
      status: 200,
      expected: () => ({
        action: 'promotion.updated',
        object_type: 'promotion',
        object_id: f.promotionId,
        // The name did not change: it is not in the diff.
        changes: {
          status: { before: 'active', after: 'paused' },
          task_limit_per_month: { before: 5, after: 7 },
        },
      }),
      fail: () => call('PATCH', `/admin/v1/promotions/${f.promotionId}`, { max_enrollments: 0 }),
      failStatus: 409,
    },
    {
      operation: 'POST /admin/v1/enrollments/{enrollment_id}/usage',
      ok: () => call('POST', `/admin/v1/enrollments/${f.enrollmentId}/usage`, { tasks: 2 }),
      status: 200,
      expected: () => ({
        action: 'usage.recorded',
        object_type: 'enrollment',
        object_id: f.enrollmentId,
        changes: { tasks_used: { before: 0, after: 2 } },
      }),
      fail: () =>
        call('POST', `/admin/v1/enrollments/${f.promotionId}:00000000-0000-4000-8000-000000000000/usage`, {
          tasks: 1,
        }),
      failStatus: 404,
    },
    {
      operation: 'POST /admin/v1/tokens',
      ok: () => call('POST', '/admin/v1/tokens', { client_id: f.partner.clientId, scope: 'promotions:read' }),
      status: 201,
      expected: () => ({
        action: 'token.minted',
        object_type: 'access_token',
        object_id: created.tokenId,
        changes: {
          partner_id: { before: null, after: f.partner.id },
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
        call('POST', `/admin/v1/partners/${f.partner.id}/webhook_endpoints`, {
          url: 'http://127.0.0.1:9/other',
          event_types: ['promotion.ended'],
        }),
      status: 201,
      expected: () => ({
        action: 'webhook_endpoint.created',
        object_type: 'webhook_endpoint',
        object_id: created.endpoint,
        changes: {
          partner_id: { before: null, after: f.partner.id },
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
        call('PATCH', `/admin/v1/partners/${f.partner.id}/webhook_endpoints/${f.endpointId}`, {
          description: 'CRM',
        }),
      status: 200,
      expected: () => ({
        action: 'webhook_endpoint.updated',
        object_type: 'webhook_endpoint',
        object_id: f.endpointId,
        changes: { description: { before: null, after: 'CRM' } },
      }),
      fail: () =>
        call('PATCH', `/admin/v1/partners/${f.partner.id}/webhook_endpoints/we_none`, { description: 'x' }),
      failStatus: 404,
    },
    {
      operation: 'POST /admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}/rotate_secret',
      ok: () =>
        call('POST', `/admin/v1/partners/${f.partner.id}/webhook_endpoints/${f.endpointId}/rotate_secret`),
      status: 200,
      expected: () => ({
        action: 'webhook_endpoint.secret_rotated',
        object_type: 'webhook_endpoint',
        object_id: f.endpointId,
        changes: {},
      }),
      fail: () => call('POST', `/admin/v1/partners/${f.partner.id}/webhook_endpoints/we_none/rotate_secret`),
      failStatus: 404,
      secrets: (res) => [res.json().secret],
    },
    {
      operation: 'POST /admin/v1/partners/{partner_id}/events/{event_id}/redeliver',
      ok: () => call('POST', `/admin/v1/partners/${f.partner.id}/events/${f.eventId}/redeliver`),
      status: 202,
      expected: () => ({
        action: 'event.redelivered',
        object_type: 'event',
        object_id: f.eventId,
        changes: { deliveries: { before: null, after: 1 } },
      }),
      fail: () => call('POST', `/admin/v1/partners/${f.sandbox.id}/events/${f.eventId}/redeliver`),
      failStatus: 404,
    },
    {
      operation: 'DELETE /admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}',
      ok: () => call('DELETE', `/admin/v1/partners/${f.partner.id}/webhook_endpoints/${created.endpoint}`),
      status: 204,
      expected: () => ({
        action: 'webhook_endpoint.deleted',
        object_type: 'webhook_endpoint',
        object_id: created.endpoint,
        changes: {},
      }),
      fail: () => call('DELETE', `/admin/v1/partners/${f.partner.id}/webhook_endpoints/${created.endpoint}`),
      failStatus: 404,
    },
    {
      operation: 'POST /admin/v1/partners/{partner_id}/test_clocks/{test_clock_id}/advance',
      ok: () =>
        call('POST', `/admin/v1/partners/${f.sandbox.id}/test_clocks/${f.clockId}/advance`, {
          frozen_time: '2026-02-28T10:00:00Z',
        }),
      status: 200,
      expected: () => ({
        action: 'test_clock.advanced',
        object_type: 'test_clock',
        object_id: f.clockId,
        changes: { frozen_time: { before: '2026-01-31T10:00:00Z', after: '2026-02-28T10:00:00Z' } },
      }),
      fail: () =>
        call('POST', `/admin/v1/partners/${f.sandbox.id}/test_clocks/${f.clockId}/advance`, {
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
          headers: { ...bearer(f.viewer.key), 'x-request-id': 'audit-test-request' },
          payload: { current_password: OPERATOR_PASSWORD, new_password: 'pw~audited!new-password' },
        }),
      status: 200,
      expected: () => ({
        actor: {
          kind: 'api_key',
          operator_id: f.viewer.operator.id,
          email: f.viewer.operator.email,
          api_key_id: f.viewer.keyId,
        },
        action: 'operator.password_changed',
        object_type: 'operator',
        object_id: f.viewer.operator.id,
        changes: {},
      }),
      fail: () =>
        ctx.app.inject({
          method: 'POST',
          url: '/admin/v1/operators/me/password',
          headers: bearer(f.viewer.key),
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
      ok: () => call('DELETE', `/admin/v1/operators/${f.operatorId}/api_keys/${f.keyId}`),
      status: 204,
      expected: () => ({
        action: 'api_key.revoked',
        object_type: 'api_key',
        object_id: f.keyId,
        changes: { revoked_at: { before: null, after: '2026-04-28T10:00:00Z' } },
      }),
      fail: () => call('DELETE', `/admin/v1/operators/${f.operatorId}/api_keys/${f.keyId}`),
      failStatus: 404,
    },
  ];
}

/** What each successful call created, for the expectations of this and later cases. */
export function remember(created: Created, operation: string, res: LightMyRequestResponse) {
  const body = res.body ? res.json() : {};
  if (operation === 'POST /admin/v1/partners')
    Object.assign(created, { partner: body.id, clientId: body.client_id });
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
