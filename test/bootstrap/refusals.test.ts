// CONTRACT §10: what POST /admin/v1/bootstrap refuses, changing nothing: objects the database
// refuses (409, every one named), a document not of its shape (400, one error per problem), a
// call without the admin token (401) or below the owner role (403).
import { describe, expect, it } from 'vitest';
import { operatorWithKey } from '../admin/operator-helpers.js';
import { ADMIN_TOKEN, bearer } from '../helpers/app.js';
import { document, PASSWORD_1, useBootstrapApp } from './helpers.js';

const { ctx, apply, answers, partnerRow } = useBootstrapApp();

describe('POST /admin/v1/bootstrap', () => {
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
});
