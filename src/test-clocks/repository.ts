import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';
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

/** Rows deleted with a clock, per table (CONTRACT §9: deleting a clock leaves nothing behind). */
export interface DeletedCounts {
  usage_ledger: number;
  usage_counters: number;
  events: number;
  enrollments: number;
  access_tokens: number;
  refresh_tokens: number;
  authorization_codes: number;
  accounts: number;
  test_clocks: number;
}

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
   * Deletes the clock and everything attached to it, children first, inside the caller's
   * transaction: the usage, counters, events and enrollments of its accounts (and any
   * enrollment carrying its id), their tokens, grants and accounts. A budgeted promotion gives
   * back the seats those enrollments took, so no count keeps a trace of the clock.
   */
  async function deleteCascade(id: string, tx: Db): Promise<DeletedCounts> {
    const accountIds = sql`(select a.id from accounts a where a.test_clock_id = ${id})`;
    const enrollmentIds = sql`(select e.id from enrollments e
                               where e.test_clock_id = ${id} or e.account_id in ${accountIds})`;
    const count = async (query: ReturnType<typeof sql>) =>
      (
        await queryRows<{ n: number }>(
          tx,
          sql`with d as (${query} returning 1) select count(*)::int as n from d`,
        )
      )[0]!.n;
    // The ledger (and the rows a release before CONTRACT §12 left in task_usage), the usage
    // calls' idempotency keys and the platform's events of the clock's accounts.
    const ledger = await count(sql`delete from usage_ledger where enrollment_id in ${enrollmentIds}`);
    await tx.execute(sql`delete from task_usage where enrollment_id in ${enrollmentIds}`);
    await tx.execute(sql`delete from usage_idempotency_keys where enrollment_id in ${enrollmentIds}`);
    await tx.execute(sql`delete from usage_events where account_id in ${accountIds}`);
    const usageCounters = await count(
      sql`delete from usage_counters where enrollment_id in ${enrollmentIds}`,
    );
    // Their events, with their deliveries and attempts (cascading foreign keys): nothing of
    // the clock is delivered after it is gone.
    const events = await count(sql`delete from events where enrollment_id in ${enrollmentIds}`);
    await tx.execute(
      sql`update promotions p set enrollments_count = p.enrollments_count - d.n
          from (select promotion_id, count(*)::int as n from enrollments
                where id in ${enrollmentIds} group by promotion_id) d
          where p.id = d.promotion_id and p.max_enrollments is not null`,
    );
    const enrollments = await count(sql`delete from enrollments where id in ${enrollmentIds}`);
    const accessTokens = await count(
      sql`delete from access_tokens where test_clock_id = ${id} or account_id in ${accountIds}`,
    );
    const refreshTokens = await count(sql`delete from refresh_tokens where account_id in ${accountIds}`);
    const codes = await count(sql`delete from authorization_codes where account_id in ${accountIds}`);
    const accounts = await count(sql`delete from accounts where test_clock_id = ${id}`);
    const clocks = await count(sql`delete from test_clocks where id = ${id}`);
    return {
      usage_ledger: ledger,
      usage_counters: usageCounters,
      events,
      enrollments,
      access_tokens: accessTokens,
      refresh_tokens: refreshTokens,
      authorization_codes: codes,
      accounts,
      test_clocks: clocks,
    };
  }

  return { insert, find, list, claimAdvance, finishAdvance, release, lock, deleteCascade };
}

export type TestClocksRepository = ReturnType<typeof createTestClocksRepository>;
