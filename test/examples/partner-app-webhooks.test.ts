import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPartnerApp, loadPartnerConfig } from '../../examples/partner-app/app.js';
import { signedHeaders } from '../../src/webhooks/signer.js';
import { listen } from '../clients/helpers.js';
import { bearer, useTestApp } from '../helpers/app.js';

describe('examples/partner-app: /webhooks', { timeout: 120_000 }, () => {
  const ctx = useTestApp();
  let partnerApp: FastifyInstance;
  let partnerUrl: string;
  let secret: string;
  let partnerId: string;
  let promotionId: string;

  beforeAll(async () => {
    const partner = await ctx.fixtures.partner();
    partnerId = partner.id;
    promotionId = await ctx.fixtures.promotion(partner.id);
    // The app listens first, so its URL can be registered; the secret comes from that answer.
    const config = loadPartnerConfig({
      PROMOTIONS_URL: await listen(ctx.app),
      CLIENT_ID: partner.clientId,
      CLIENT_SECRET: partner.clientSecret,
      PROMOTION_ID: promotionId,
    });
    partnerApp = await buildPartnerApp(config);
    partnerUrl = await listen(partnerApp);
    const created = await ctx.admin({
      method: 'POST',
      url: `/admin/v1/partners/${partner.id}/webhook_endpoints`,
      payload: { url: `${partnerUrl}/webhooks` },
    });
    expect(created.statusCode).toBe(201);
    secret = created.json().secret;
    config.webhookSecret = secret; // read per request, as if set in the environment
  });
  afterAll(async () => {
    await partnerApp?.close();
  });

  it('receives a verified enrollment.created from the server and shows it on its page', async () => {
    const account = await ctx.fixtures.account();
    const user = await ctx.fixtures.userToken(partnerId, account.id);
    const enrolled = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: bearer(user),
      payload: { promotion_id: promotionId },
    });
    expect(enrolled.statusCode).toBe(201);
    const results = await ctx.app.webhookDispatcher.runOnce();
    expect(results).toEqual([expect.objectContaining({ outcome: 'succeeded', responseStatus: 204 })]);
    const page = await partnerApp.inject({ method: 'GET', url: '/' });
    expect(page.body).toContain('<h2>Received webhooks</h2>');
    expect(page.body).toContain(
      `<code>enrollment.created</code></td><td><code>${enrolled.json().enrollment_id}</code>`,
    );
  });

  it('rejects a bad signature with 400 and acknowledges a repeated webhook-id once', async () => {
    const body = '{"type":"promotion.ended","timestamp":"2026-04-28T10:00:00Z","data":{"id":"promo_x"}}';
    const headers = signedHeaders({
      id: 'evt_dup',
      timestamp: Math.floor(Date.now() / 1000),
      body,
      secrets: [secret],
    });
    const send = (b: string) =>
      partnerApp.inject({ method: 'POST', url: '/webhooks', headers: { ...headers }, payload: b });
    const tampered = await send(body.replace('promo_x', 'promo_TAMPERED-not-a-generated-id'));
    expect(tampered.statusCode).toBe(400);
    expect(tampered.json()).toEqual({ error: 'invalid signature' });
    expect((await send(body)).statusCode).toBe(204);
    const again = await send(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ duplicate: true });
    const page = await partnerApp.inject({ method: 'GET', url: '/' });
    expect(page.body.match(/evt_dup/g)).toHaveLength(1);
    expect(page.body).not.toContain('promo_TAMPERED-not-a-generated-id');
  });
});
