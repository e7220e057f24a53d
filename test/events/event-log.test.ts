import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { newEventId } from '../../src/db/ids.js';
import { eventCtes, eventLog } from '../../src/events/event-log.js';
import { rfc3339Sql } from '../../src/rules/time.js';
import { bearer, useTestApp } from '../helpers/app.js';

const ctx = useTestApp();

async function partnerWithEndpoint() {
  const partner = await ctx.fixtures.partner();
  const app = await ctx.fixtures.appToken(partner.id);
  await ctx.fixtures.webhookEndpoint(partner.id, { event_types: ['promotion.ended'] });
  return { partner, app };
}

const counts = (partnerId: string) =>
  queryRows<{ events: number; deliveries: number }>(
    ctx.db.database.db,
    sql`select (select count(*) from events where partner_id = ${partnerId})::int as events,
               (select count(*) from webhook_deliveries d join events e on e.id = d.event_id
                where e.partner_id = ${partnerId})::int as deliveries`,
  ).then((rows) => rows[0]!);

describe('the event log (src/events/event-log.ts)', () => {
  it('append writes the event and one delivery per subscribed enabled endpoint, only if the transaction commits', async () => {
    const { partner } = await partnerWithEndpoint();
    const event = {
      partnerId: partner.id,
      type: 'promotion.ended' as const,
      data: { id: 'p1' },
      at: ctx.clock.now(),
      actor: { type: 'admin' as const, id: null },
    };
    await expect(
      ctx.db.database.db.transaction(async (tx) => {
        await eventLog.append(tx, event);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await counts(partner.id)).toEqual({ events: 0, deliveries: 0 });
    await ctx.db.database.db.transaction((tx) => eventLog.append(tx, event));
    expect(await counts(partner.id)).toEqual({ events: 1, deliveries: 1 });
    // Not subscribed: the event is kept for the feed, with no delivery.
    await ctx.db.database.db.transaction((tx) =>
      eventLog.append(tx, { ...event, type: 'enrollment.created', dedupKey: 'k1' }),
    );
    await ctx.db.database.db.transaction((tx) =>
      eventLog.append(tx, { ...event, type: 'enrollment.created', dedupKey: 'k1' }),
    );
    expect(await counts(partner.id)).toEqual({ events: 2, deliveries: 1 });
  });

  it('eventCtes embeds the same insert in one statement: an event per source row, deduped, with a time-ordered id made in SQL', async () => {
    const { partner, app } = await partnerWithEndpoint();
    const now = new Date('2026-04-28T10:00:00.250Z');
    const run = (happened: boolean, subject: string) =>
      queryRows<{ events: number; deliveries: number }>(
        ctx.db.database.db,
        sql`with changed as (
              select ${partner.id}::uuid as partner_id, ${subject}::text as subject where ${happened}
            ), ${eventCtes({
              name: 'ended_event',
              source: sql`changed c`,
              partnerId: sql`c.partner_id`,
              type: 'promotion.ended',
              actor: { type: 'admin' },
              data: sql`jsonb_build_object('id', c.subject, 'ended_at', ${rfc3339Sql(sql`${now}::timestamptz`)})`,
              at: sql`${now}::timestamptz`,
              dedupKey: sql`'promotion.ended:' || c.subject`,
            })}
            select (select count(*) from ended_event)::int as events,
                   (select count(*) from ended_event_deliveries)::int as deliveries`,
      ).then((rows) => rows[0]!);
    expect(await run(false, 'p1')).toEqual({ events: 0, deliveries: 0 });
    expect(await run(true, 'p1')).toEqual({ events: 1, deliveries: 1 });
    expect(await run(true, 'p1')).toEqual({ events: 0, deliveries: 0 });
    const feed = await ctx.app.inject({ method: 'GET', url: '/v2/events', headers: bearer(app) });
    expect(feed.json().data).toEqual([
      {
        id: expect.stringMatching(/^evt_[0-9a-f]{24}$/),
        type: 'promotion.ended',
        timestamp: '2026-04-28T10:00:00Z',
        data: { id: 'p1', ended_at: '2026-04-28T10:00:00Z' },
      },
    ]);
  });

  it('ids made in SQL have the shape and order of newEventId: evt_, 12 hex digits of milliseconds, 12 more', async () => {
    const { partner } = await partnerWithEndpoint();
    const before = Date.now();
    const [row] = await queryRows<{ id: string }>(
      ctx.db.database.db,
      sql`with ${eventCtes({
        name: 'one',
        source: sql`(select 1) as x`,
        partnerId: sql`${partner.id}::uuid`,
        type: 'promotion.ended',
        actor: { type: 'admin' },
        data: sql`'{}'::jsonb`,
        at: sql`${new Date()}::timestamptz`,
      })} select id from one`,
    );
    const shape = /^evt_[0-9a-f]{12}[A-Za-z0-9]{12}$/;
    expect(row!.id).toMatch(shape);
    expect(newEventId()).toMatch(shape);
    const ms = Number.parseInt(row!.id.slice(4, 16), 16);
    // The database's clock and this process's agree to well within a minute.
    expect(Math.abs(ms - before)).toBeLessThan(60_000);
    expect(newEventId(ms - 1) < row!.id).toBe(true);
  });
});
