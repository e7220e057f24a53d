// Webhook delivery (CONTRACT §8): retries on the schedule, Retry-After, 410 disabling an endpoint,
// failure and redelivery, cancellation on delete, secret rotation, and the delivery metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, useTestApp } from '../helpers/app.js';
import { freePort } from '../helpers/processes.js';
import { webhooksFor } from './helpers.js';
import { type Receiver, startReceiver } from './receiver.js';

const ctx = useTestApp({ env: { WEBHOOK_RETRY_SCHEDULE_SECONDS: '5,60' } });

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

const { dispatch, setup, enroll, events, deliveries, receivedFor } = webhooksFor(ctx, () => receiver);

describe('delivery, retries and failure', () => {
  it('500 then 200: retried after the (shortened) schedule with jitter, then succeeded', async () => {
    const { partner, app, endpoint, promotionId } = await setup();
    receiver.secret = endpoint.secret;
    await enroll(partner, promotionId);
    const [event] = (await events(app)).data;
    receiver.script(endpoint.url, 500);
    await dispatch();
    let log = await deliveries(app, endpoint.id);
    expect(log.data[0]).toMatchObject({
      status: 'pending',
      attempts: [{ response_status: 500, error: null }],
    });
    const next = Date.parse(log.data[0]!.next_attempt_at!);
    const at = Date.parse('2026-04-28T10:00:00Z');
    // 5 s ±10%, shown in whole seconds.
    expect(next - at).toBeGreaterThanOrEqual(4000);
    expect(next - at).toBeLessThanOrEqual(5500);
    expect(await dispatch()).toEqual([]); // not due yet
    ctx.clock.advance(5500);
    try {
      await dispatch();
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
    }
    log = await deliveries(app, endpoint.id, '?status=succeeded');
    expect(log.data[0]!.attempts.map((a) => a.response_status)).toEqual([500, 200]);
    expect(receivedFor([event!.id]).map((r) => [r.answered, r.verified])).toEqual([
      [500, true],
      [200, true],
    ]);
  });

  it('honours Retry-After on 429', async () => {
    const { partner, app, endpoint, promotionId } = await setup();
    await enroll(partner, promotionId);
    receiver.script(endpoint.url, { status: 429, headers: { 'retry-after': '120' } });
    await dispatch();
    const log = await deliveries(app, endpoint.id);
    expect(log.data[0]).toMatchObject({ status: 'pending', next_attempt_at: '2026-04-28T10:02:00Z' });
  });

  it('410 Gone disables the endpoint', async () => {
    const { partner, app, endpoint, promotionId } = await setup();
    await enroll(partner, promotionId);
    receiver.script(endpoint.url, 410);
    await dispatch();
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/v2/webhook_endpoints/${endpoint.id}`,
      headers: bearer(app),
    });
    expect(res.json()).toMatchObject({ status: 'disabled', disabled_reason: 'gone' });
    expect((await deliveries(app, endpoint.id)).data[0]).toMatchObject({
      status: 'failed',
      next_attempt_at: null,
    });
    // New events still queue for it, but nothing is sent while it is disabled.
    await enroll(partner, promotionId);
    expect(await dispatch()).toEqual([]);
  });

  it('receiver down for the whole schedule: failed, visible in deliveries; redeliver then succeeds', async () => {
    const deadPort = await freePort();
    const { partner, app, endpoint, promotionId } = await setup({ url: `http://127.0.0.1:${deadPort}/hook` });
    await enroll(partner, promotionId);
    const [event] = (await events(app)).data;
    try {
      for (let i = 0; i < 3; i++) {
        await dispatch();
        ctx.clock.advance(70_000);
      }
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
    }
    const failed = await deliveries(app, endpoint.id, '?status=failed');
    expect(failed.data).toHaveLength(1);
    expect(failed.data[0]!.attempts).toHaveLength(3);
    expect(
      failed.data[0]!.attempts.every((a) => a.response_status === null && a.error === 'connection refused'),
    ).toBe(true);
    expect((await deliveries(app, endpoint.id, '?status=pending')).data).toEqual([]);

    // The receiver is back (at a new URL); redeliver.
    receiver.secret = endpoint.secret;
    const patched = await ctx.app.inject({
      method: 'PATCH',
      url: `/v2/webhook_endpoints/${endpoint.id}`,
      headers: bearer(app),
      payload: { url: receiver.newUrl() },
    });
    expect(patched.statusCode).toBe(200);
    const redeliver = await ctx.app.inject({
      method: 'POST',
      url: `/v2/events/${event!.id}/redeliver`,
      headers: bearer(app),
    });
    expect(redeliver.statusCode).toBe(202);
    expect(redeliver.json()).toEqual({ event_id: event!.id, deliveries: 1 });
    await dispatch();
    expect(receivedFor([event!.id]).map((r) => r.verified)).toEqual([true]);
    expect((await deliveries(app, endpoint.id, '?status=succeeded')).data).toHaveLength(1);

    const other = await ctx.fixtures.partner();
    const otherApp = await ctx.fixtures.appToken(other.id);
    const notYours = await ctx.app.inject({
      method: 'POST',
      url: `/v2/events/${event!.id}/redeliver`,
      headers: bearer(otherApp),
    });
    expect(notYours.statusCode).toBe(404);
    expect(notYours.json().errors[0].code).toBe('event_not_found');
  });

  it('deleting an endpoint cancels its pending deliveries', async () => {
    const { partner, app, endpoint, promotionId } = await setup();
    await enroll(partner, promotionId);
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/webhook_endpoints/${endpoint.id}`,
      headers: bearer(app),
    });
    expect(del.statusCode).toBe(204);
    expect(await dispatch()).toEqual([]);
  });

  it('rotation: both secrets verify during the 24 h overlap, only the new one after', async () => {
    const { partner, app, endpoint, promotionId } = await setup();
    const rotated = await ctx.app.inject({
      method: 'POST',
      url: `/v2/webhook_endpoints/${endpoint.id}/rotate_secret`,
      headers: bearer(app),
    });
    expect(rotated.statusCode).toBe(200);
    const { secret } = rotated.json() as { secret: string };
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(endpoint.secret);

    const { Webhook } = await import('standardwebhooks');
    const verifies = (s: string, r: (typeof receiver.received)[number]) => {
      try {
        new Webhook(s).verify(r.body, {
          'webhook-id': r.id,
          'webhook-timestamp': r.timestamp,
          'webhook-signature': r.signature,
        });
        return true;
      } catch {
        return false;
      }
    };
    await enroll(partner, promotionId);
    await dispatch();
    const during = receiver.received.at(-1)!;
    expect(during.signature.split(' ')).toHaveLength(2);
    expect(verifies(secret, during)).toBe(true);
    expect(verifies(endpoint.secret, during)).toBe(true);

    ctx.clock.advance(24 * 3600 * 1000 + 1000);
    try {
      await enroll(partner, promotionId);
      await dispatch();
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
    }
    const after = receiver.received.at(-1)!;
    expect(after.id).not.toBe(during.id);
    expect(after.signature.split(' ')).toHaveLength(1);
    expect(verifies(secret, after)).toBe(true);
    expect(verifies(endpoint.secret, after)).toBe(false);
  });

  it('reports delivery outcomes and the pending backlog in /metrics', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^webhook_deliveries_total\{outcome="succeeded"\} [1-9]\d*$/m);
    expect(res.body).toMatch(/^webhook_deliveries_total\{outcome="retrying"\} [1-9]\d*$/m);
    expect(res.body).toMatch(/^webhook_deliveries_total\{outcome="failed"\} [1-9]\d*$/m);
    expect(res.body).toMatch(/^webhook_pending_deliveries \d+$/m);
    expect(res.body).toMatch(/^webhook_oldest_pending_delivery_age_seconds \d+(\.\d+)?$/m);
  });
});
