// CONTRACT §12 "Scale": the usage ledger is partitioned by month; the maintenance pass makes the
// months around now (taking over what the default partition held for them), drops whole months
// older than USAGE_LEDGER_RETENTION_MONTHS while the usage counters stay, and forgets platform
// events received more than 35 days ago. The timeline lies years before today's date, so the
// month the migration made for the real now never meets it.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { type PartnerFixture, useTestApp } from '../helpers/app.js';
import { meteringFor } from './helpers.js';

const ctx = useTestApp({
  env: { ACCESS_TOKEN_TTL_SECONDS: '31536000', USAGE_LEDGER_RETENTION_MONTHS: '13' },
  now: '2023-01-10T10:00:00Z',
});
let partner: PartnerFixture;
const m = meteringFor(ctx, () => partner);

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
});

const partitions = async () =>
  (
    await queryRows<{ name: string }>(
      ctx.app.db,
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          join pg_class p on p.oid = i.inhparent where p.relname = 'usage_ledger' order by 1`,
    )
  )
    .map((r) => r.name)
    // Only this timeline's months (and the default partition): not the real now's.
    .filter((n) => n === 'usage_ledger_default' || /^usage_ledger_y202[2-4]/.test(n));

/** The ledger rows of these events, with the partition each one lives in. */
const ledgerOf = (eventIds: string[]) =>
  queryRows<{ event_id: string; part: string; tasks_accepted: number }>(
    ctx.app.db,
    sql`select event_id, tableoid::regclass::text as part, tasks_accepted from usage_ledger
        where event_id = any(${sql.param(eventIds)}::text[]) order by event_id`,
  );

describe('ledger partitions and retention (CONTRACT §12)', () => {
  it('makes the months around now, moves rows out of the default partition, drops months past retention, keeps the counters', async () => {
    const { runOnce } = ctx.app.usageMaintenance;
    const promo = await ctx.fixtures.promotion(partner.id, {
      durationDays: null,
      taskLimitPerMonth: 100_000,
    });
    const a = await m.account([promo]);
    const enrollmentUuid = a.enrollments[0]!.split(':')[1]!;

    // January 2023: last month to two months ahead are made.
    const first = await runOnce(new Date('2023-01-15T00:00:00Z'));
    expect(first.created).toEqual([
      'usage_ledger_y2022m12',
      'usage_ledger_y2023m01',
      'usage_ledger_y2023m02',
      'usage_ledger_y2023m03',
    ]);
    expect(first.dropped).toEqual([]);
    ctx.clock.set('2023-01-20T10:00:00Z');
    const old = await m.ingest([{ id: 'ret-2023-01', account_id: a.accountId, tasks: 7 }]);
    expect(old.json().data[0]).toMatchObject({ status: 'recorded', sponsored: 7 });

    // March 2024, before any pass made its month: the row waits in the default partition.
    ctx.clock.set('2024-03-10T10:00:00Z');
    const waiting = await m.ingest([{ id: 'ret-2024-03', account_id: a.accountId, tasks: 5 }]);
    expect(waiting.json().data[0]).toMatchObject({ status: 'recorded', sponsored: 5 });
    // And a row of a month long past retention that only the default partition ever held.
    await ctx.app.db.execute(
      sql`insert into usage_ledger (id, enrollment_id, cycle_start, tasks_requested, tasks_accepted, event_id,
                                    occurred_at, recorded_at)
          values ('00000000-0000-4000-8000-0000000000a1', ${enrollmentUuid}::uuid, '2022-06-10T10:00:00Z', 1, 1,
                  'ret-2022-06', '2022-06-15T00:00:00Z', '2022-06-15T00:00:00Z')`,
    );
    expect(await ledgerOf(['ret-2022-06', 'ret-2023-01', 'ret-2024-03'])).toEqual([
      { event_id: 'ret-2022-06', part: 'usage_ledger_default', tasks_accepted: 1 },
      { event_id: 'ret-2023-01', part: 'usage_ledger_y2023m01', tasks_accepted: 7 },
      { event_id: 'ret-2024-03', part: 'usage_ledger_default', tasks_accepted: 5 },
    ]);
    const countersBefore = await queryRows<{ cycle_start: string; used: number }>(
      ctx.app.db,
      sql`select to_char(cycle_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as cycle_start, used
          from usage_counters where enrollment_id = ${enrollmentUuid}::uuid order by cycle_start`,
    );
    expect(countersBefore).toEqual([
      { cycle_start: '2023-01-10T10:00:00', used: 7 },
      { cycle_start: '2024-03-10T10:00:00', used: 5 },
    ]);

    // The pass of 2024-03-20 with 13 months kept: the oldest month kept is February 2023.
    const sweep = await runOnce(new Date('2024-03-20T00:00:00Z'));
    expect(sweep.created).toEqual([
      'usage_ledger_y2024m02',
      'usage_ledger_y2024m03',
      'usage_ledger_y2024m04',
      'usage_ledger_y2024m05',
    ]);
    expect([...sweep.dropped].sort()).toEqual(['usage_ledger_y2022m12', 'usage_ledger_y2023m01']);
    // The platform event of 2023-01-20 is past its 35 days too.
    expect(sweep.eventsForgotten).toBe(1);
    expect(await partitions()).toEqual([
      'usage_ledger_default',
      'usage_ledger_y2023m02',
      'usage_ledger_y2023m03',
      'usage_ledger_y2024m02',
      'usage_ledger_y2024m03',
      'usage_ledger_y2024m04',
      'usage_ledger_y2024m05',
    ]);
    // January 2023 went with its partition, June 2022 out of the default one; March 2024 moved.
    expect(await ledgerOf(['ret-2022-06', 'ret-2023-01', 'ret-2024-03'])).toEqual([
      { event_id: 'ret-2024-03', part: 'usage_ledger_y2024m03', tasks_accepted: 5 },
    ]);
    const [defaultRows] = await queryRows<{ n: number }>(
      ctx.app.db,
      sql`select count(*)::int as n from usage_ledger_default`,
    );
    expect(defaultRows).toEqual({ n: 0 });
    // The counters that answer tasks_used_this_month are kept, all of them.
    expect(
      await queryRows(
        ctx.app.db,
        sql`select to_char(cycle_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as cycle_start, used
            from usage_counters where enrollment_id = ${enrollmentUuid}::uuid order by cycle_start`,
      ),
    ).toEqual(countersBefore);
    ctx.clock.set('2024-03-20T00:00:00Z');
    expect(await m.usedNow(a.enrollments[0]!)).toBe(5);

    // A second pass at the same instant has nothing to do.
    expect(await runOnce(new Date('2024-03-20T00:00:00Z'))).toEqual({
      created: [],
      dropped: [],
      eventsForgotten: 0,
    });
  });

  it('forgets platform events received more than 35 days ago, and no sooner', async () => {
    const { runOnce } = ctx.app.usageMaintenance;
    const a = await m.account([]);
    const received = async (id: string, at: string) => {
      ctx.clock.set(at);
      const res = await m.ingest([{ id, account_id: a.accountId, tasks: 1 }]);
      expect(res.json().data[0].status).toBe('recorded');
    };
    await received('forget-36d', '2024-05-04T23:59:59Z');
    await received('keep-34d', '2024-05-06T00:00:01Z');
    const result = await runOnce(new Date('2024-06-10T00:00:00Z'));
    // With this file's event of 2024-03-10, older still.
    expect(result.eventsForgotten).toBe(2);
    const left = await queryRows<{ id: string }>(
      ctx.app.db,
      sql`select id from usage_events where id in ('forget-36d', 'keep-34d') order by id`,
    );
    expect(left).toEqual([{ id: 'keep-34d' }]);
    // The ledger row of a forgotten event stays: only the dedup memory goes.
    expect(await ledgerOf(['ret-2024-03'])).toEqual([
      { event_id: 'ret-2024-03', part: 'usage_ledger_y2024m03', tasks_accepted: 5 },
    ]);
  });
});
