import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { createSecretBox, plaintextBox } from '../../src/webhooks/secret-box.js';
import { bearer, useTestApp } from '../helpers/app.js';
import { type Receiver, startReceiver } from './receiver.js';

const KEY = 'test-webhook-secrets-key-0123456789abcdef';
const ctx = useTestApp({ env: { WEBHOOK_SECRETS_KEY: KEY } });
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

describe('endpoint secrets at rest', () => {
  it('seals with AES-256-GCM and opens; a tampered or foreign ciphertext does not open', () => {
    const box = createSecretBox(KEY);
    // Long enough that random base64 never contains it by chance ('abc' did, once in CI).
    const plain = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const sealed = box.seal(plain);
    expect(sealed).toMatch(/^enc1:[^:]+:[^:]+:[^:]+$/);
    expect(sealed).not.toContain(plain.slice(6));
    expect(sealed).not.toContain(Buffer.from(plain).toString('base64').slice(0, 24));
    expect(box.seal(plain)).not.toBe(sealed); // a fresh IV each time
    expect(box.open(sealed)).toBe(plain);
    expect(box.open('whsec_plain')).toBe('whsec_plain'); // written before the key was set
    const [, iv, tag, data] = sealed.split(':');
    const flipped = `enc1:${iv}:${tag}:${Buffer.from(Buffer.from(data!, 'base64').map((b) => b ^ 1)).toString('base64')}`;
    expect(() => box.open(flipped)).toThrow();
    expect(() => createSecretBox(`${KEY}-other`).open(sealed)).toThrow();
    expect(() => plaintextBox.open(sealed)).toThrow('an encrypted webhook secret needs WEBHOOK_SECRETS_KEY');
  });

  it('with WEBHOOK_SECRETS_KEY the database holds only ciphertext, and deliveries still verify', async () => {
    const partner = await ctx.fixtures.partner();
    const app = await ctx.fixtures.appToken(partner.id);
    const { id, secret } = await ctx.fixtures.webhookEndpoint(partner.id, { url: receiver.newUrl() });
    const rotated = await ctx.app.inject({
      method: 'POST',
      url: `/v2/webhook_endpoints/${id}/rotate_secret`,
      headers: bearer(app),
    });
    const current = rotated.json().secret as string;
    const [row] = await queryRows<{ secret: string; previous_secret: string }>(
      ctx.db.database.db,
      sql`select secret, previous_secret from webhook_endpoints where id = ${id}`,
    );
    expect(row!.secret).toMatch(/^enc1:/);
    expect(row!.previous_secret).toMatch(/^enc1:/);
    expect(JSON.stringify(row)).not.toContain(secret.slice(6));
    expect(JSON.stringify(row)).not.toContain(current.slice(6));

    const promotionId = await ctx.fixtures.promotion(partner.id);
    const account = await ctx.fixtures.account();
    const user = await ctx.fixtures.userToken(partner.id, account.id);
    await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: bearer(user),
      payload: { promotion_id: promotionId },
    });
    receiver.secret = current;
    await ctx.app.webhookDispatcher.runOnce();
    expect(receiver.received.map((r) => r.verified)).toEqual([true]);
    expect(receiver.received[0]!.signature.split(' ')).toHaveLength(2);
  });
});
