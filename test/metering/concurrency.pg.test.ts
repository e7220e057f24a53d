// CONTRACT §12 under real concurrency, PostgreSQL only: many batches at once against two
// instances on one database, over accounts sharing enrollments and events sharing ids; and a
// server process SIGKILLed right after answering 200 keeps everything the 200 said.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { createLogger } from '../../src/ops/logging.js';
import { ADMIN_TOKEN, createTestApp, type PartnerFixture, type TestContext } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { freePort, type ServerProcess, sleep, startServer } from '../helpers/processes.js';
import { meteringFor } from './helpers.js';

interface Result {
  id: string | null;
  status: 'recorded' | 'duplicate' | 'rejected';
  sponsored: number;
  unsponsored: number;
  allocations: Array<{ enrollment_id: string; promotion_id: string; tasks: number }>;
  error?: { code: string };
}
interface Sent {
  id: string;
  account_id: string;
  tasks: number;
  occurred_at?: string;
}

/** A small seeded generator (mulberry32): a failing run can be replayed from its seed. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)) };
}

/** What the database holds, checked against rule 3 and CONTRACT §12 whatever the interleaving. */
async function assertLedgerConsistent(db: TestContext['app']['db']) {
  const counters = await queryRows<{
    enrollment_id: string;
    cycle_start: string;
    used: number;
    task_limit: number | null;
    ledger: number;
  }>(
    db,
    sql`select c.enrollment_id, c.cycle_start::text, c.used, p.task_limit_per_month as task_limit,
               coalesce((select sum(l.tasks_accepted)::int from usage_ledger l
                         where l.enrollment_id = c.enrollment_id and l.cycle_start = c.cycle_start), 0) as ledger
        from usage_counters c join enrollments e on e.id = c.enrollment_id join promotions p on p.id = e.promotion_id`,
  );
  for (const c of counters) {
    const where = `${c.enrollment_id} @ ${c.cycle_start}`;
    expect(c.used, where).toBe(c.ledger);
    if (c.task_limit !== null) expect(c.used, where).toBeLessThanOrEqual(c.task_limit);
  }
  // Every ledger row belongs to a counter (none drawn outside the counters' sums).
  const [orphans] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from usage_ledger l where l.event_id is not null and not exists
          (select 1 from usage_counters c where c.enrollment_id = l.enrollment_id and c.cycle_start = l.cycle_start)`,
  );
  expect(orphans).toEqual({ n: 0 });
  return counters;
}

/** The events stored under these ids, with their ledger rows' sum per event. */
async function storedEvents(db: TestContext['app']['db'], ids: string[]) {
  const rows = await queryRows<{
    id: string;
    account_id: string;
    tasks: number;
    sponsored: number;
    unsponsored: number;
    allocations: Result['allocations'];
    ledger: number;
  }>(
    db,
    sql`select u.id, u.account_id, u.tasks, u.sponsored, u.unsponsored, u.allocations,
               coalesce((select sum(l.tasks_accepted)::int from usage_ledger l where l.event_id = u.id), 0) as ledger
        from usage_events u where u.id = any(${sql.param(ids)}::text[])`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** The instances' error logs, shown when a request fails. */
const logged: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    logged.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

describe('concurrent batches on two instances, one PostgreSQL', () => {
  let a: TestContext;
  let b: TestContext;
  let partner: PartnerFixture;

  beforeAll(async () => {
    const env = { ACCESS_TOKEN_TTL_SECONDS: '31536000' };
    a = await createTestApp({ poolMax: 20, env, loggerInstance: createLogger('error', sink) });
    b = await createTestApp({ database: a.db, env, loggerInstance: createLogger('error', sink) });
    partner = await a.fixtures.partner();
  });
  afterAll(async () => {
    await b?.app.close();
    await a?.app.close();
    await a?.db.drop();
  });

  it('keeps every limit, records each event id once, and answers every client what is stored', async () => {
    const seed = Number(process.env.METERING_SEED ?? Date.now() % 1_000_000);
    process.stdout.write(`metering concurrency: seed ${seed} (METERING_SEED=${seed} replays it)\n`);
    const rnd = random(seed);
    const m = meteringFor(a, () => partner);

    // Enrolled on 2026-03-20: the window of events (from 35 days before now) spans two cycles.
    a.clock.set('2026-03-20T10:00:00Z');
    const limited = await a.fixtures.promotion(partner.id, { durationDays: 60, taskLimitPerMonth: 40 });
    const longer = await a.fixtures.promotion(partner.id, { durationDays: 90, taskLimitPerMonth: 25 });
    const short = await a.fixtures.promotion(partner.id, { durationDays: 20, taskLimitPerMonth: 15 });
    const open = await a.fixtures.promotion(partner.id, { durationDays: null, taskLimitPerMonth: null });
    const combos = [
      [limited],
      [longer],
      [open],
      [short],
      [limited, longer],
      [limited, open],
      [short, longer],
      [short, open],
      [longer, open],
      [short, limited],
      [limited],
      [longer, short],
    ];
    const accounts: Array<Awaited<ReturnType<typeof m.account>>> = [];
    for (const promotions of combos) accounts.push(await m.account(promotions));
    for (const ctx of [a, b]) ctx.clock.set('2026-04-28T10:00:00Z');

    // A pool of events; each id always carries the same content, so a repeat is a duplicate.
    const windowStart = Date.parse('2026-03-25T00:00:00Z');
    const now = Date.parse('2026-04-28T10:00:00Z');
    const pool: Sent[] = Array.from({ length: 320 }, (_, i) => {
      const account = accounts[rnd.int(0, accounts.length - 1)]!;
      const event: Sent = { id: `c-${seed}-${i}`, account_id: account.accountId, tasks: rnd.int(1, 12) };
      if (rnd.next() < 0.85) {
        event.occurred_at = new Date(
          windowStart + Math.floor(rnd.next() * (now - windowStart)),
        ).toISOString();
      }
      return event;
    });
    const batches = Array.from({ length: 20 }, () =>
      Array.from({ length: rnd.int(20, 80) }, () => pool[rnd.int(0, pool.length - 1)]!),
    );

    // Half the batches to each instance, all at once.
    const answers = await Promise.all(
      batches.map((events, i) =>
        (i % 2 === 0 ? a : b).app.inject({
          method: 'POST',
          url: '/admin/v1/usage_events',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          payload: JSON.stringify({ events }),
        }),
      ),
    );
    expect(
      answers.map((r) => r.statusCode),
      logged.join('\n').slice(0, 4000),
    ).toEqual(Array(batches.length).fill(200));

    const sentIds = [...new Set(batches.flat().map((e) => e.id))];
    const stored = await storedEvents(a.app.db, sentIds);
    // Every id sent is stored exactly once (the primary key), recorded by exactly one answer.
    expect([...stored.keys()].sort()).toEqual([...sentIds].sort());
    const recordedBy = new Map<string, number>();
    const byId = new Map(pool.map((e) => [e.id, e]));
    answers.forEach((res, batch) => {
      const data = res.json().data as Result[];
      expect(data).toHaveLength(batches[batch]!.length);
      data.forEach((result, index) => {
        const sent = batches[batch]![index]!;
        expect(result.id).toBe(sent.id);
        expect(['recorded', 'duplicate']).toContain(result.status);
        if (result.status === 'recorded') recordedBy.set(sent.id, (recordedBy.get(sent.id) ?? 0) + 1);
        const row = stored.get(sent.id)!;
        // The client's numbers are the stored ones, for the recording and for every duplicate.
        expect({
          sponsored: result.sponsored,
          unsponsored: result.unsponsored,
          allocations: result.allocations,
        }).toEqual({ sponsored: row.sponsored, unsponsored: row.unsponsored, allocations: row.allocations });
      });
    });
    expect([...recordedBy.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(recordedBy.size).toBe(sentIds.length);

    for (const row of stored.values()) {
      const sent = byId.get(row.id)!;
      expect(row.account_id).toBe(sent.account_id);
      expect(row.tasks).toBe(sent.tasks);
      expect(row.sponsored + row.unsponsored, row.id).toBe(row.tasks);
      expect(
        row.allocations.reduce((sum, x) => sum + x.tasks, 0),
        row.id,
      ).toBe(row.sponsored);
      expect(row.ledger, row.id).toBe(row.sponsored);
    }

    const counters = await assertLedgerConsistent(a.app.db);
    // The limits were reached somewhere: the test exercised rule 3, not only the happy path.
    expect(counters.some((c) => c.task_limit !== null && c.used === c.task_limit)).toBe(true);
    expect([...stored.values()].some((r) => r.unsponsored > 0 && r.sponsored > 0)).toBe(true);
    expect([...a.violations, ...b.violations]).toEqual([]);
    a.violations.length = 0;
    b.violations.length = 0;
  }, 120_000);
});

describe('SIGKILL after a 200', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'promotions-metering-'));
  let db: TestDatabase;
  let ctx: TestContext;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = await createTestApp({ database: db, now: null, env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await ctx?.app.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const spawnServer = async () => {
    const s = startServer({
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      DATABASE_URL: db.url!,
      ADMIN_TOKEN,
      SEED_DEMO: 'false',
      REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
      RATE_LIMIT_PER_HOUR: '10000000',
      RATE_LIMIT_IP_PER_HOUR: '10000000',
      LOG_LEVEL: 'warn',
    });
    await s.waitHealthy();
    return s;
  };
  /** POST the batch; a 503 (a busy machine's overload answer) counted nothing, so it is sent again as it is. */
  const post = async (s: ServerProcess, events: Sent[]) => {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${s.url}/admin/v1/usage_events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      const body = (await res.json()) as { data: Result[] };
      if (res.status !== 503 || attempt === 10) return { status: res.status, data: body.data, body };
      await sleep(Number(res.headers.get('retry-after') ?? 1) * 200);
    }
  };

  it('keeps everything the 200 said was recorded, and the resent batch is all duplicate with the same numbers', async () => {
    const partner = await ctx.fixtures.partner();
    const m = meteringFor(ctx, () => partner);
    const capped = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: 300 });
    // Never expiring: drawn from after capped (CONTRACT §12's order).
    const open = await ctx.fixtures.promotion(partner.id, { durationDays: null, taskLimitPerMonth: null });
    const accounts = [await m.account([capped]), await m.account([capped, open]), await m.account([])];
    const events: Sent[] = Array.from({ length: 500 }, (_, i) => ({
      id: `kill-${randomBytes(4).toString('hex')}-${i}`,
      account_id: accounts[i % accounts.length]!.accountId,
      tasks: (i % 5) + 1,
    }));

    server = await spawnServer();
    const first = await post(server, events);
    server.child.kill('SIGKILL');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    await server.exit;
    expect(first.data.map((r) => r.status)).toEqual(Array(500).fill('recorded'));

    server = await spawnServer();
    const stored = await storedEvents(
      ctx.app.db,
      events.map((e) => e.id),
    );
    expect(stored.size).toBe(500);
    for (const r of first.data) {
      const row = stored.get(r.id!)!;
      expect({
        sponsored: row.sponsored,
        unsponsored: row.unsponsored,
        allocations: row.allocations,
      }).toEqual({
        sponsored: r.sponsored,
        unsponsored: r.unsponsored,
        allocations: r.allocations,
      });
      expect(row.ledger).toBe(r.sponsored);
    }
    const counters = await assertLedgerConsistent(ctx.app.db);
    // 300 of capped for each of the first two accounts; the rest went to open or nowhere.
    expect(counters.map((c) => c.used).sort((x, y) => x - y)).toEqual(
      [
        300,
        300,
        first.data.filter((_, i) => i % 3 === 1).reduce((sum, r) => sum + r.sponsored, 0) - 300,
      ].sort((x, y) => x - y),
    );

    const again = await post(server, events);
    expect(again.status).toBe(200);
    expect(again.data).toEqual(first.data.map((r) => ({ ...r, status: 'duplicate' })));
    expect(
      await storedEvents(
        ctx.app.db,
        events.map((e) => e.id),
      ),
    ).toEqual(stored);
  }, 180_000);
});
