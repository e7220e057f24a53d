import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
import { deleteOwned } from '../db/ownership.js';
import { enrollments, testClocks } from '../db/schema.js';
import { epochMs, toDate } from '../db/sql.js';

export type TestClockStatus = 'ready' | 'advancing';

export interface TestClockRow {
  id: string;
  partner_id: string;
  frozen_time: Date;
  name: string | null;
  status: TestClockStatus;
  /** While advancing: until when (real time) the advance's claim holds. */
  advance_lease_until: Date | null;
  created_at: Date;
}

type RawClock = Omit<TestClockRow, 'frozen_time' | 'created_at' | 'advance_lease_until'> & {
  frozen_time: number;
  created_at: number;
  advance_lease_until: number | null;
};

const fromRaw = (row: RawClock): TestClockRow => ({
  ...row,
  frozen_time: new Date(row.frozen_time),
  advance_lease_until: toDate(row.advance_lease_until),
  created_at: new Date(row.created_at),
});

const COLUMNS = sql`id, partner_id, ${epochMs(sql`frozen_time`)} as frozen_time, name, status,
                    ${epochMs(sql`advance_lease_until`)} as advance_lease_until,
                    ${epochMs(sql`created_at`)} as created_at`;

/** CONTRACT §9: test clocks, always seen through their partner (another's answers as missing). */
export function createTestClocksRepository(db: Db) {
  async function insert(
    clock: { id: string; partnerId: string; frozenTime: Date; name: string | null; now: Date },
    tx: Db = db,
  ): Promise<TestClockRow> {
    const [row] = await queryRows<RawClock>(
      tx,
      sql`insert into test_clocks (id, partner_id, frozen_time, name, status, created_at)
          values (${clock.id}, ${clock.partnerId}, ${clock.frozenTime}, ${clock.name}, 'ready', ${clock.now})
          returning ${COLUMNS}`,
    );
    return fromRaw(row!);
  }

  async function find(partnerId: string, id: string, tx: Db = db): Promise<TestClockRow | undefined> {
    const [row] = await queryRows<RawClock>(
      tx,
      sql`select ${COLUMNS} from test_clocks where id = ${id} and partner_id = ${partnerId}`,
    );
    return row && fromRaw(row);
  }

  /** The partner's clocks by id, for keyset pagination. */
  async function list(partnerId: string, options: { limit: number; afterId?: string }, tx: Db = db) {
    const rows = await queryRows<RawClock>(
      tx,
      sql`select ${COLUMNS} from test_clocks
          where partner_id = ${partnerId}
            ${options.afterId !== undefined ? sql`and id > ${options.afterId}` : sql``}
          order by id limit ${options.limit}`,
    );
    return rows.map(fromRaw);
  }

  /**
   * Claims the clock for an advance: `ready` (or an advance whose lease ran out: its process
   * died) → `advancing` until `leaseUntil`, only from the time the caller validated against.
   * The conditional UPDATE is the lock: a concurrent advance finds nothing to claim (409),
   * whichever instance it runs on.
   */
  async function claimAdvance(
    partnerId: string,
    id: string,
    claim: { from: Date; now: Date; leaseUntil: Date },
    tx: Db = db,
  ): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`update test_clocks set status = 'advancing', advance_lease_until = ${claim.leaseUntil}
          where id = ${id} and partner_id = ${partnerId} and frozen_time = ${claim.from}
            and (status = 'ready' or advance_lease_until < ${claim.now})
          returning id`,
    );
    return rows.length > 0;
  }

  /** Ends an advance: the new time, and `ready` again. */
  async function finishAdvance(id: string, to: Date, tx: Db = db): Promise<TestClockRow> {
    const [row] = await queryRows<RawClock>(
      tx,
      sql`update test_clocks set frozen_time = ${to}, status = 'ready', advance_lease_until = null
          where id = ${id} returning ${COLUMNS}`,
    );
    return fromRaw(row!);
  }

  /** An advance that failed gives the clock back at its old time. */
  async function release(id: string, tx: Db = db): Promise<void> {
    await tx.execute(
      sql`update test_clocks set status = 'ready', advance_lease_until = null
          where id = ${id} and status = 'advancing'`,
    );
  }

  /** The clock row locked for the rest of the transaction (delete), or undefined. */
  async function lock(partnerId: string, id: string, tx: Db): Promise<TestClockRow | undefined> {
    const [row] = await queryRows<RawClock>(
      tx,
      sql`select ${COLUMNS} from test_clocks where id = ${id} and partner_id = ${partnerId} for update`,
    );
    return row && fromRaw(row);
  }

  /**
   * Deletes the clock and everything attached to it, inside the caller's transaction
   * (CONTRACT §9: nothing of it is left behind). Its enrollments (of its accounts, or carrying
   * its id) on purpose, as enrollments never go with their parents: a budgeted promotion gives
   * back the seats they took, and their usage, counters and events (with their deliveries) go
   * with them. The platform's usage events of its accounts, which are otherwise kept until
   * swept. Then the clock, which takes its accounts, their tokens and codes. What goes with
   * what is the delete graph's (src/db/ownership.ts).
   */
  async function deleteCascade(id: string, tx: Db): Promise<void> {
    const accountIds = sql`(select a.id from accounts a where a.test_clock_id = ${id})`;
    const ofClock = sql`${enrollments.testClockId} = ${id} or ${enrollments.accountId} in ${accountIds}`;
    await tx.execute(
      sql`update promotions p set enrollments_count = p.enrollments_count - d.n
          from (select promotion_id, count(*)::int as n from enrollments
                where ${ofClock} group by promotion_id) d
          where p.id = d.promotion_id and p.max_enrollments is not null`,
    );
    await deleteOwned(tx, enrollments, ofClock);
    await tx.execute(sql`delete from usage_events where account_id in ${accountIds}`);
    await deleteOwned(tx, testClocks, sql`${testClocks.id} = ${id}`);
  }

  return { insert, find, list, claimAdvance, finishAdvance, release, lock, deleteCascade };
}

export type TestClocksRepository = ReturnType<typeof createTestClocksRepository>;
