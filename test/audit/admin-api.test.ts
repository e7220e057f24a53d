// CONTRACT §11: every admin write records exactly one audit entry with the right diff, in the
// transaction of the change (a failed write records none; an entry that cannot be written
// rolls the change back), and GET /admin/v1/audit_log pages and filters them.
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { operatorWithKey } from '../admin/operator-helpers.js';
import { bearer, useTestApp } from '../helpers/app.js';
import { loadContract } from '../helpers/contract.js';
import { requestsFor } from '../helpers/requests.js';
import {
  adminWrites,
  auditedCall,
  type Created,
  type Entry,
  type Fixtures,
  remember,
} from './admin-writes.js';

const ctx = useTestApp();
const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const count = async () =>
  (await queryRows<{ n: number }>(ctx.app.db, sql`select count(*)::int as n from admin_audit_log`))[0]!.n;

async function newest(): Promise<Entry> {
  const res = await ctx.admin({ method: 'GET', url: '/admin/v1/audit_log?limit=1' });
  expect(res.statusCode).toBe(200);
  return res.json().data[0];
}

const f = {} as Fixtures;
let editor: Awaited<ReturnType<typeof operatorWithKey>>;

beforeAll(async () => {
  f.partner = await ctx.fixtures.partner();
  f.sandbox = await ctx.fixtures.partner({ sandbox: true });
  f.promotionId = await ctx.fixtures.promotion(f.partner.id, { taskLimitPerMonth: 5 });
  const endpoint = await ctx.app.webhookService.create(f.partner.id, {
    url: 'http://127.0.0.1:9/hooks',
    event_types: ['enrollment.created'],
  });
  f.endpointId = endpoint.id;
  ({ enrollmentId: f.enrollmentId } = await requestsFor(ctx, () => f.partner).enrollNew(f.promotionId));
  f.eventId = (await ctx.app.webhookService.events(f.partner.id, { limit: 1 })).data[0]!.id;
  f.clockId = (
    await ctx.app.testClockService.create(f.sandbox.id, {
      frozenTime: new Date('2026-01-31T10:00:00Z'),
      name: null,
    })
  ).id;
  editor = await operatorWithKey(ctx, 'editor');
  f.viewer = await operatorWithKey(ctx, 'viewer');
  const owner = await operatorWithKey(ctx, 'owner');
  f.operatorId = owner.operator.id;
  f.keyId = owner.keyId;
});

const call = auditedCall(ctx);
const created: Created = {};
const CASES = adminWrites(ctx, f, created);

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
      remember(created, c.operation, res);
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
      url: `/admin/v1/promotions/${f.promotionId}`,
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
    const first = await call('POST', `/admin/v1/enrollments/${f.enrollmentId}/usage`, body);
    expect(first.statusCode).toBe(200);
    const again = await call('POST', `/admin/v1/enrollments/${f.enrollmentId}/usage`, body);
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
      const before = await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${f.promotionId}` });
      const res = await call('PATCH', `/admin/v1/promotions/${f.promotionId}`, { status: 'ended' });
      expect(res.statusCode).toBe(500);
      const after = await ctx.admin({ method: 'GET', url: `/admin/v1/promotions/${f.promotionId}` });
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
      url: `/admin/v1/audit_log?object_type=promotion&object_id=${f.promotionId}`,
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
