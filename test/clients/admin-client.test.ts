import { describe, expect, it } from 'vitest';
import {
  createAdminClient,
  createPromotionsClient,
  type Promotion,
  PromotionsApiError,
  paginate,
} from '../../clients/typescript/src/index.js';
import { ADMIN_TOKEN, useTestApp } from '../helpers/app.js';
import { listen } from './helpers.js';

describe('typed admin client against the server', () => {
  const ctx = useTestApp();

  it('creates and reads partners, accounts and promotions, mints a token that enrolls', async () => {
    const baseUrl = await listen(ctx.app);
    const admin = createAdminClient({ baseUrl, adminToken: ADMIN_TOKEN });

    const partner = await admin.partners.create({ name: 'Acme', redirect_uris: ['https://acme.example/cb'] });
    expect(partner.client_secret).toMatch(/^cs_/);
    const { client_secret: _secret, ...shown } = partner;
    await expect(admin.partners.get(partner.id)).resolves.toEqual(shown);

    const account = await admin.accounts.create({ email: 'ann@example.com', password: 'a long password' });
    await expect(admin.accounts.get(account.id)).resolves.toEqual(account);

    const created: Promotion[] = [];
    for (const id of ['p_one', 'p_two', 'p_three']) {
      created.push(
        await admin.promotions.create({ id, partner_id: partner.id, name: id, task_limit_per_month: 10 }),
      );
    }
    expect(created[0]).toMatchObject({ id: 'p_one', status: 'active', allow_reenrollment: false });
    await expect(admin.promotions.get('p_two')).resolves.toEqual(created[1]);

    const page = await admin.promotions.list({ partner_id: partner.id, limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.next_cursor).toEqual(expect.any(String));
    const all: string[] = [];
    for await (const p of paginate((cursor) =>
      admin.promotions.list({ partner_id: partner.id, limit: 2, cursor }),
    )) {
      all.push(p.id);
    }
    expect(all.sort()).toEqual(['p_one', 'p_three', 'p_two']);

    const token = await admin.tokens.create({
      client_id: partner.client_id,
      account_id: account.id,
      scope: 'promotions:read promotions:write',
    });
    const user = createPromotionsClient({ baseUrl, accessToken: token.access_token });
    const { enrollment_id } = await user.enroll('p_one');
    await expect(user.getEnrollment(enrollment_id)).resolves.toMatchObject({ task_limit_per_month: 10 });
    await expect(admin.promotions.get('p_one')).resolves.toMatchObject({ enrollments_count: 1 });

    await expect(admin.ops.healthz()).resolves.toMatchObject({ status: 'ok', version: expect.any(String) });
    await expect(admin.ops.readyz()).resolves.toEqual({ status: 'ok' });
    await expect(admin.ops.openapi()).resolves.toMatchObject({ openapi: '3.1.0' });
  });

  it('throws PromotionsApiError for a wrong token and a missing partner', async () => {
    const baseUrl = await listen(ctx.app);
    const wrong = createAdminClient({ baseUrl, adminToken: 'not-the-admin-token' });
    await expect(wrong.promotions.list()).rejects.toMatchObject({
      status: 401,
      code: 'not_authenticated',
      detail: 'The admin token is invalid.',
    });
    const admin = createAdminClient({ baseUrl, adminToken: ADMIN_TOKEN });
    const error = await admin.partners.get('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PromotionsApiError);
    expect(error).toMatchObject({ status: 404, code: 'partner_not_found', title: 'Partner Not Found' });
  });
});
