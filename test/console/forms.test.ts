// CONTRACT §11: the console's forms over HTTP, as a browser without JavaScript posts them — CSRF
// on every form, roles, the audit trail of its changes, validation answered on the form.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { useTestApp } from '../helpers/app.js';
import { csrfOf, signedIn } from './console-helpers.js';

const ctx = useTestApp();
const auditCount = async () =>
  (await queryRows<{ n: number }>(ctx.app.db, sql`select count(*)::int as n from admin_audit_log`))[0]!.n;

describe('forms', () => {
  it('refuse a post without the session’s CSRF token, or with another session’s, and change nothing', async () => {
    const partner = await ctx.fixtures.partner();
    const owner = await signedIn(ctx, 'owner');
    const other = await signedIn(ctx, 'owner');
    const otherToken = csrfOf((await other.get('/console/promotions')).body);
    const before = await auditCount();
    for (const csrf of ['', otherToken]) {
      const res = await owner.post(
        '/console/promotions',
        { id: 'forged', partner_id: partner.id, name: 'Forged' },
        { csrf },
      );
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('<h1>Form expired</h1>');
    }
    expect(await ctx.app.promotionsRepository.findById('forged')).toBeUndefined();
    expect(await auditCount()).toBe(before);
  });

  it('refuse a change to a role below the one it needs, with a page naming both', async () => {
    const partner = await ctx.fixtures.partner();
    const viewer = await signedIn(ctx, 'viewer');
    const page = await viewer.get('/console/promotions/new');
    expect(page.body).toContain('<fieldset disabled>');
    const before = await auditCount();
    const res = await viewer.post(
      '/console/promotions',
      { id: 'by_viewer', partner_id: partner.id, name: 'x' },
      page,
    );
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('<h1>Permission denied</h1>');
    expect(res.body).toContain(
      'This action needs the editor role; the caller has the viewer role. Ask an owner to change your role.',
    );
    expect(await ctx.app.promotionsRepository.findById('by_viewer')).toBeUndefined();
    expect(await auditCount()).toBe(before);

    const editor = await signedIn(ctx, 'editor');
    const partners = await editor.get('/console/partners');
    const denied = await editor.post(
      '/console/partners',
      { name: 'By editor', redirect_uris: 'https://e.example/cb' },
      partners,
    );
    expect(denied.statusCode).toBe(403);
    expect(denied.body).toContain('This action needs the owner role; the caller has the editor role.');
    expect((await editor.get('/console/operators')).statusCode).toBe(403);
  });

  it('create, edit, pause and end a promotion without JavaScript, each change audited via the console', async () => {
    const partner = await ctx.fixtures.partner({ name: 'Form Partner' });
    const editor = await signedIn(ctx, 'editor');
    const form = await editor.get('/console/promotions/new');
    const created = await editor.post(
      '/console/promotions',
      {
        id: 'form_promo',
        partner_id: partner.id,
        name: 'From a form',
        status: 'active',
        starts_at: '',
        ends_at: '2026-12-31T23:59',
        duration_days: '30',
        task_limit_per_month: '',
        max_enrollments: '50',
      },
      form,
    );
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/console/promotions/form_promo?notice=created');
    const promotion = await ctx.admin({ method: 'GET', url: '/admin/v1/promotions/form_promo' });
    expect(promotion.json()).toMatchObject({
      name: 'From a form',
      ends_at: '2026-12-31T23:59:00Z',
      duration_days: 30,
      task_limit_per_month: null,
      max_enrollments: 50,
      allow_reenrollment: false,
    });
    const log = async () =>
      (
        await ctx.admin({
          method: 'GET',
          url: '/admin/v1/audit_log?object_type=promotion&object_id=form_promo',
        })
      ).json().data;
    expect((await log())[0]).toMatchObject({
      action: 'promotion.created',
      actor: { kind: 'session', operator_id: editor.operatorId, email: editor.email, api_key_id: null },
      via: 'console',
    });

    const page = await editor.get('/console/promotions/form_promo');
    expect(page.body).toContain('0 of 50 (0%)');
    const edited = await editor.post(
      '/console/promotions/form_promo',
      {
        name: 'Renamed from a form',
        starts_at: '',
        ends_at: '2026-12-31T23:59:00',
        duration_days: '30',
        task_limit_per_month: '',
        max_enrollments: '50',
      },
      page,
    );
    expect(edited.statusCode).toBe(303);
    expect(edited.headers.location).toBe('/console/promotions/form_promo?notice=saved');
    // Only the field that changed is in the entry.
    expect((await log())[0]).toMatchObject({
      action: 'promotion.updated',
      changes: { name: { before: 'From a form', after: 'Renamed from a form' } },
    });
    expect(Object.keys((await log())[0].changes)).toEqual(['name']);

    const paused = await editor.post('/console/promotions/form_promo/status', { status: 'paused' }, page);
    expect(paused.headers.location).toBe('/console/promotions/form_promo?notice=paused');
    expect((await editor.get(paused.headers.location as string)).body).toContain(
      'The promotion is paused: no new enrollments until it is resumed.',
    );
    const unconfirmed = await editor.post('/console/promotions/form_promo/status', { status: 'ended' }, page);
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('Tick the box to confirm: ending expires every live enrollment now.');
    const ended = await editor.post(
      '/console/promotions/form_promo/status',
      { status: 'ended', confirm: 'true' },
      page,
    );
    expect(ended.statusCode).toBe(303);
    expect(
      (await log()).map((e: { changes: { status?: { after: string } } }) => e.changes.status?.after),
    ).toEqual(['ended', 'paused', undefined, 'active']);
  });

  it('answer a bad or conflicting form on the form itself, values kept, nothing changed', async () => {
    const partner = await ctx.fixtures.partner();
    const existing = await ctx.fixtures.promotion(partner.id);
    const editor = await signedIn(ctx, 'editor');
    const form = await editor.get('/console/promotions/new');
    const bad = await editor.post(
      '/console/promotions',
      { id: 'bad id!', partner_id: partner.id, name: 'Kept name' },
      form,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain(
      'Id: must be 1-64 characters of letters, digits, &quot;_&quot;, &quot;.&quot; or &quot;-&quot;',
    );
    expect(bad.body).toContain('value="Kept name"');
    const taken = await editor.post(
      '/console/promotions',
      { id: existing, partner_id: partner.id, name: 'Again' },
      form,
    );
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain(`A promotion with id ${existing} already exists.`);
    const window = await editor.post(
      '/console/promotions',
      {
        id: 'window_x',
        partner_id: partner.id,
        name: 'W',
        starts_at: '2026-06-01T00:00',
        ends_at: '2026-05-01T00:00',
      },
      form,
    );
    expect(window.statusCode).toBe(400);
    expect(window.body).toContain('Ends at: must be after starts_at');
    expect(await ctx.app.promotionsRepository.findById('window_x')).toBeUndefined();
  });

  it('register a partner and show its secret once, never cached and never in the audit log', async () => {
    const owner = await signedIn(ctx, 'owner');
    const page = await owner.get('/console/partners');
    const res = await owner.post(
      '/console/partners',
      {
        name: 'Console Partner',
        redirect_uris: 'https://cp.example/cb\nhttps://cp.example/cb2',
        sandbox: 'true',
      },
      page,
    );
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const secret = /id="client-secret">(cs_[A-Za-z0-9_-]{43})</.exec(res.body)?.[1];
    expect(secret).toBeDefined();
    const entry = (
      await ctx.admin({ method: 'GET', url: '/admin/v1/audit_log?action=partner.created&limit=1' })
    ).json().data[0];
    expect(entry).toMatchObject({
      via: 'console',
      changes: {
        redirect_uris: { before: null, after: ['https://cp.example/cb', 'https://cp.example/cb2'] },
        sandbox: { before: null, after: true },
      },
    });
    expect(JSON.stringify(entry)).not.toContain(secret!);
  });
});
