import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { createExpirySweeper } from '../../src/enrollments/expiry-sweeper.js';
import { createIdempotencyRepository } from '../../src/enrollments/idempotency-repository.js';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { requestsFor } from '../helpers/requests.js';

const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });

let partner: PartnerFixture;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
});

const requests = requestsFor(ctx, () => partner);
const enrollNew = async (promotionId: string, key?: string) =>
  (await requests.enrollNew(promotionId, key)).enrollmentId;

const expiredAt = async (enrollmentId: string) =>
  (
    await queryRows<{ expired_at: string | null }>(
      ctx.app.db,
      sql`select to_char(expired_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as expired_at
          from enrollments where id = ${enrollmentId.split(':')[1]}`,
    )
  )[0]!.expired_at;

const keyCount = async () =>
  (
    await queryRows<{ n: number }>(
      ctx.app.db,
      sql`select count(*)::int as n from idempotency_keys where partner_id = ${partner.id}`,
    )
  )[0]!.n;

describe('expiry sweeper', () => {
  it('marks enrollments past their expiration with an expired event by the system, once', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const short = await ctx.fixtures.promotion(partner.id, { durationDays: 1 });
    const long = await ctx.fixtures.promotion(partner.id, { durationDays: 30 });
    const forever = await ctx.fixtures.promotion(partner.id, { durationDays: null });
    const a = await enrollNew(short);
    const b = await enrollNew(short);
    const c = await enrollNew(long);
    const d = await enrollNew(forever);
    const gone = await enrollNew(short);
    await ctx.app.inject({
      method: 'DELETE',
      url: `/v2/promotions/${gone}`,
      headers: bearer(await ctx.fixtures.appToken(partner.id)),
    });
    const { sweepOnce } = ctx.app.expirySweeper;

    // 23:59:59 itself is still live.
    expect((await sweepOnce(new Date('2026-04-28T23:59:59Z'))).expired).toBe(0);
    const result = await sweepOnce(new Date('2026-04-29T00:00:05Z'));
    expect(result.expired).toBe(2);
    expect(await expiredAt(a)).toBe('2026-04-29T00:00:05Z');
    expect(await expiredAt(b)).toBe('2026-04-29T00:00:05Z');
    expect(await expiredAt(c)).toBeNull();
    expect(await expiredAt(d)).toBeNull();
    expect(await expiredAt(gone)).toBeNull(); // unenrolled first: not an expiry

    const events = (await ctx.admin({ method: 'GET', url: `/admin/v1/enrollments/${a}/events` })).json().data;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['enrolled', 'expired']);
    expect(events[1]).toMatchObject({
      type: 'expired',
      actor_type: 'system',
      actor_id: null,
      data: { expiration_date: '2026-04-28T23:59:59Z' },
      created_at: '2026-04-29T00:00:05Z',
    });

    // A second sweep finds nothing more to do.
    expect((await sweepOnce(new Date('2026-04-29T00:01:00Z'))).expired).toBe(0);
    ctx.clock.set('2026-04-29T00:01:00Z');
    const detail = await ctx.app.inject({
      method: 'GET',
      url: `/v2/promotions/${a}`,
      headers: bearer(await ctx.fixtures.appToken(partner.id)),
    });
    expect(detail.json().status).toBe('expired');
  });

  it('works in batches until nothing is due', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id, { durationDays: 1 });
    for (let i = 0; i < 5; i++) await enrollNew(promo);
    const sweeper = createExpirySweeper({
      clock: ctx.clock,
      expiry: ctx.app.enrollmentExpiry,
      keys: createKeysRepo(),
      intervalMs: 60_000,
      batchSize: 2,
    });
    expect((await sweeper.sweepOnce(new Date('2026-04-30T00:00:00Z'))).expired).toBe(5);
    expect((await sweeper.sweepOnce(new Date('2026-04-30T00:00:00Z'))).expired).toBe(0);
  });

  it('deletes Idempotency-Key records past their 24 h, and only those', async () => {
    ctx.clock.set('2026-04-28T10:00:00Z');
    const promo = await ctx.fixtures.promotion(partner.id);
    await enrollNew(promo, 'old-key');
    ctx.clock.set('2026-04-28T12:00:00Z');
    await enrollNew(promo, 'newer-key');
    const before = await keyCount();
    const { sweepOnce } = ctx.app.expirySweeper;
    expect((await sweepOnce(new Date('2026-04-29T09:59:59Z'))).keysDeleted).toBe(0);
    expect((await sweepOnce(new Date('2026-04-29T10:00:00Z'))).keysDeleted).toBe(1);
    expect(await keyCount()).toBe(before - 1);
    const left = await queryRows<{ key: string }>(
      ctx.app.db,
      sql`select key from idempotency_keys where partner_id = ${partner.id} order by key`,
    );
    expect(left.map((r) => r.key)).toContain('newer-key');
    expect(left.map((r) => r.key)).not.toContain('old-key');
  });

  it('sweeps on its interval, never twice at once, and stops', async () => {
    vi.useFakeTimers();
    try {
      const sweeper = createExpirySweeper({
        clock: ctx.clock,
        expiry: ctx.app.enrollmentExpiry,
        keys: createKeysRepo(),
        intervalMs: 60_000,
      });
      let release: () => void = () => {};
      const sweep = vi.fn(
        () =>
          new Promise<{ expired: number; keysDeleted: number }>(
            (r) => (release = () => r({ expired: 1, keysDeleted: 0 })),
          ),
      );
      sweeper.sweepOnce = sweep;
      const logged: unknown[] = [];
      sweeper.start({ info: (r: unknown) => logged.push(r), warn: (r: unknown) => logged.push(r) } as never);
      await vi.advanceTimersByTimeAsync(59_999);
      expect(sweep).toHaveBeenCalledTimes(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(sweep).toHaveBeenCalledTimes(1);
      // Still running at the next tick: skipped.
      await vi.advanceTimersByTimeAsync(60_000);
      expect(sweep).toHaveBeenCalledTimes(1);
      release();
      await sweeper.stop();
      expect(logged).toEqual([{ expired: 1, keysDeleted: 0 }]);
      await vi.advanceTimersByTimeAsync(180_000);
      expect(sweep).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

// A second repository instance over the same database, like another server instance.
const createKeysRepo = () => createIdempotencyRepository(ctx.app.db);
