import { describe, expect, it } from 'vitest';
import {
  createAdminClient,
  createPromotionsClient,
  PromotionsApiError,
  verifyWebhook,
  WebhookVerificationError,
} from '../../clients/typescript/src/index.js';
import { signedHeaders } from '../../src/webhooks/signer.js';
import { ADMIN_TOKEN, useTestApp } from '../helpers/app.js';
import { startReceiver } from '../webhooks/receiver.js';
import { listen } from './helpers.js';

describe('typed client: webhooks', () => {
  const ctx = useTestApp();

  it('registers an endpoint, reads the event feed, sees deliveries and redelivers; admin mirror too', async () => {
    const baseUrl = await listen(ctx.app);
    const receiver = await startReceiver();
    try {
      const partner = await ctx.fixtures.partner();
      const promotionId = await ctx.fixtures.promotion(partner.id);
      const account = await ctx.fixtures.account();
      const app = createPromotionsClient({ baseUrl, accessToken: await ctx.fixtures.appToken(partner.id) });
      const user = createPromotionsClient({
        baseUrl,
        accessToken: await ctx.fixtures.userToken(partner.id, account.id),
      });

      const endpoint = await app.webhooks.create({
        url: receiver.newUrl(),
        event_types: ['enrollment.created'],
      });
      expect(endpoint.secret).toMatch(/^whsec_/);
      expect((await app.webhooks.list()).data.map((e) => e.id)).toEqual([endpoint.id]);
      const { enrollment_id } = await user.enroll(promotionId);
      const [event] = (await app.webhooks.events({ type: 'enrollment.created' })).data;
      expect(event?.data.enrollment_id).toBe(enrollment_id);
      await ctx.app.webhookDispatcher.runOnce();
      const delivered = receiver.received.at(-1)!;
      const verified = verifyWebhook(endpoint.secret, delivered.body, {
        'webhook-id': delivered.id,
        'webhook-timestamp': delivered.timestamp,
        'webhook-signature': delivered.signature,
      });
      expect(verified).toEqual({
        id: event!.id,
        type: 'enrollment.created',
        timestamp: event!.timestamp,
        data: event!.data,
      });
      expect((await app.webhooks.deliveries(endpoint.id, { status: 'succeeded' })).data).toHaveLength(1);
      expect(await app.webhooks.redeliver(event!.id)).toEqual({ event_id: event!.id, deliveries: 1 });

      const admin = createAdminClient({ baseUrl, adminToken: ADMIN_TOKEN });
      const mirror = admin.webhooks(partner.id);
      expect((await mirror.get(endpoint.id)).url).toBe(endpoint.url);
      await mirror.delete(endpoint.id);
      const error = await app.webhooks.get(endpoint.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PromotionsApiError);
      expect((error as PromotionsApiError).code).toBe('webhook_endpoint_not_found');
    } finally {
      await receiver.close();
    }
  });

  it('verifyWebhook rejects a tampered body, a wrong secret and a missing header', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const body = '{"type":"promotion.ended","timestamp":"2026-04-28T10:00:00Z","data":{}}';
    const headers = signedHeaders({
      id: 'evt_1',
      timestamp: Math.floor(Date.now() / 1000),
      body,
      secrets: [secret],
    });
    expect(verifyWebhook(secret, body, new Headers({ ...headers })).type).toBe('promotion.ended');
    expect(() => verifyWebhook(secret, body.replace('{}', '{"x":1}'), { ...headers })).toThrow(
      WebhookVerificationError,
    );
    expect(() =>
      verifyWebhook(`whsec_${Buffer.alloc(32, 8).toString('base64')}`, body, { ...headers }),
    ).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(secret, body, { 'webhook-id': 'evt_1' })).toThrow(
      'Missing required header webhook-timestamp',
    );
  });
});
