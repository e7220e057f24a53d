// Webhook events (CONTRACT §8): one per cause, written in the transaction of the change, delivered
// signed to the endpoints subscribed to its type; the event feed and the deliveries log.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, useTestApp } from '../helpers/app.js';
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

const PACKAGE_VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const { dispatch, setup, enroll, events, deliveries, receivedFor } = webhooksFor(ctx, () => receiver);

describe('events: once per cause, in the transaction of the change', () => {
  it('enrollment.created is delivered signed, with the enrollment as GET shows it; a 409 adds nothing', async () => {
    const { partner, app, endpoint, promotionId } = await setup();
    receiver.secret = endpoint.secret;
    const { enrollmentId, user, account } = await enroll(partner, promotionId);
    // The same account again: 409, rolled back, no event.
    const again = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: bearer(user),
      payload: { promotion_id: promotionId },
    });
    expect(again.statusCode).toBe(409);
    expect(account.id).toBeTruthy();

    const feed = await events(app);
    expect(feed.data).toHaveLength(1);
    const [event] = feed.data;
    const get = await ctx.app.inject({
      method: 'GET',
      url: `/v2/promotions/${enrollmentId}`,
      headers: bearer(user),
    });
    expect(event).toEqual({
      id: expect.stringMatching(/^evt_[A-Za-z0-9]{24}$/),
      type: 'enrollment.created',
      timestamp: '2026-04-28T10:00:00Z',
      data: get.json(),
    });

    await dispatch();
    const got = receivedFor([event!.id]);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ verified: true, answered: 200 });
    expect(got[0]!.payload).toEqual({
      type: 'enrollment.created',
      timestamp: '2026-04-28T10:00:00Z',
      data: get.json(),
    });
    expect(got[0]!.signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    // The server and its release (issue 28), as package.json and GET /healthz name it.
    expect(got[0]!.userAgent).toBe(`promotions-enrollment-server/${PACKAGE_VERSION}`);
    const log = await deliveries(app, endpoint.id);
    expect(log.data).toEqual([
      {
        id: expect.any(String),
        event_id: event!.id,
        type: 'enrollment.created',
        status: 'succeeded',
        attempts: [
          { at: '2026-04-28T10:00:00Z', response_status: 200, error: null, duration_ms: expect.any(Number) },
        ],
        next_attempt_at: null,
        created_at: '2026-04-28T10:00:00Z',
      },
    ]);
    // Nothing is due any more.
    expect(await dispatch()).toEqual([]);
  });

  it('enrollment.unenrolled once; a second DELETE (404) adds nothing', async () => {
    const { partner, app, promotionId } = await setup();
    const { enrollmentId } = await enroll(partner, promotionId);
    for (const status of [204, 404]) {
      const res = await ctx.app.inject({
        method: 'DELETE',
        url: `/v2/promotions/${enrollmentId}`,
        headers: bearer(app),
      });
      expect(res.statusCode).toBe(status);
    }
    const feed = await events(app, '?type=enrollment.unenrolled');
    expect(feed.data).toHaveLength(1);
    expect(feed.data[0]!.data).toMatchObject({ enrollment_id: enrollmentId, promotion_id: promotionId });
  });

  it('usage.threshold_reached at 80% and usage.limit_reached at the limit, once per cycle', async () => {
    const { partner, app, promotionId } = await setup({ taskLimit: 5 });
    const { enrollmentId } = await enroll(partner, promotionId);
    const usage = (tasks: number) =>
      ctx.admin({ method: 'POST', url: `/admin/v1/enrollments/${enrollmentId}/usage`, payload: { tasks } });
    expect((await usage(3)).statusCode).toBe(200);
    expect((await events(app, '?type=usage.threshold_reached')).data).toHaveLength(0);
    expect((await usage(1)).json()).toMatchObject({ accepted: 1, tasks_used_this_month: 4 });
    const threshold = (await events(app, '?type=usage.threshold_reached')).data;
    expect(threshold).toHaveLength(1);
    expect(threshold[0]!.data).toMatchObject({
      enrollment_id: enrollmentId,
      tasks_used_this_month: 4,
      task_limit_per_month: 5,
    });
    expect((await usage(3)).json()).toMatchObject({ accepted: 1, rejected: 2 });
    expect((await usage(2)).json()).toMatchObject({ accepted: 0, rejected: 2 });
    const limit = (await events(app, '?type=usage.limit_reached')).data;
    expect(limit).toHaveLength(1);
    expect(limit[0]!.data).toMatchObject({ tasks_used_this_month: 5 });
    expect((await events(app, '?type=usage.threshold_reached')).data).toHaveLength(1);

    // The next cycle counts afresh.
    ctx.clock.advance(31 * 24 * 3600 * 1000);
    try {
      expect((await usage(5)).json()).toMatchObject({ accepted: 5 });
    } finally {
      ctx.clock.set('2026-04-28T10:00:00Z');
    }
    const perCycle = (await events(app, '?type=usage.threshold_reached')).data;
    expect(perCycle.map((e) => e.data.billing_cycle_start)).toEqual([
      '2026-04-28T10:00:00Z',
      '2026-05-28T10:00:00Z',
    ]);
    expect((await events(app, '?type=usage.limit_reached')).data).toHaveLength(2);
  });

  it('enrollment.expired once, from the sweeper', async () => {
    const { partner, app, promotionId } = await setup({ durationDays: 30 });
    const { enrollmentId } = await enroll(partner, promotionId);
    const sweep = ctx.app.expirySweeper.sweepOnce;
    await sweep(new Date('2026-05-28T10:00:01Z'));
    await sweep(new Date('2026-05-28T10:00:02Z'));
    const expired = (await events(app, '?type=enrollment.expired')).data;
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({
      timestamp: '2026-05-28T10:00:01Z',
      data: { enrollment_id: enrollmentId, status: 'expired', expiration_date: '2026-05-27T23:59:59Z' },
    });
  });

  it('promotion.ended once when a promotion is ended, with the promotion as data', async () => {
    const { app, promotionId } = await setup();
    for (let i = 0; i < 2; i++) {
      const res = await ctx.admin({
        method: 'PATCH',
        url: `/admin/v1/promotions/${promotionId}`,
        payload: { status: 'ended' },
      });
      expect(res.statusCode).toBe(200);
    }
    const ended = (await events(app, '?type=promotion.ended')).data;
    expect(ended).toHaveLength(1);
    expect(ended[0]!.data).toMatchObject({ id: promotionId, status: 'ended' });
  });

  it('only endpoints subscribed to the type get a delivery; the feed pages oldest first', async () => {
    const { partner, app, endpoint, promotionId } = await setup({ eventTypes: ['promotion.ended'] });
    await enroll(partner, promotionId);
    await enroll(partner, promotionId);
    expect((await deliveries(app, endpoint.id)).data).toEqual([]);
    const page1 = await events(app, '?limit=1');
    expect(page1.data).toHaveLength(1);
    const page2 = await events(app, `?limit=1&cursor=${page1.next_cursor}`);
    expect(page2.data).toHaveLength(1);
    expect(page2.next_cursor).toBeNull();
    expect(page1.data[0]!.id).not.toBe(page2.data[0]!.id);
    const since = await events(app, '?since=2026-04-28T10:00:01Z');
    expect(since.data).toEqual([]);
  });

  it('pages deliveries newest first through an opaque cursor; a cursor it did not make is 400', async () => {
    const { partner, app, endpoint, promotionId } = await setup({ eventTypes: ['enrollment.created'] });
    for (let i = 0; i < 3; i++) await enroll(partner, promotionId);
    const all = await deliveries(app, endpoint.id);
    expect(all.data).toHaveLength(3);
    expect(all.next_cursor).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await deliveries(app, endpoint.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((d) => d.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((d) => d.id));

    for (const bad of ['nonsense', Buffer.from('{"t":"1","id":"not-a-uuid"}').toString('base64url')]) {
      const res = await ctx.app.inject({
        method: 'GET',
        url: `/v2/webhook_endpoints/${endpoint.id}/deliveries?cursor=${bad}`,
        headers: bearer(app),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        errors: [
          {
            status: '400',
            code: 'invalid_request',
            title: 'Invalid Request',
            detail: 'The cursor is invalid.',
            source: { parameter: 'cursor' },
          },
        ],
      });
    }
  });
});
