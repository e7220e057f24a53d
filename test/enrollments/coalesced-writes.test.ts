// Coalescing POST and DELETE /v2/promotions (issue 27, src/enrollments/write-batch.ts): the batch
// statements decide each row as the single statement would after the rows before it, and no
// row's outcome or error reaches another: the last budget seat contested inside a batch, two
// partners in one batch, one account twice, a current enrollment met, re-enrollment, a statement
// error mid-batch, one enrollment unenrolled twice.
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { BatcherStats } from '../../src/db/batcher.js';
import { queryRows } from '../../src/db/client.js';
import { sqlState } from '../../src/db/errors.js';
import { newEventId } from '../../src/db/ids.js';
import {
  createEnrollmentsRepository,
  type EnrollRequest,
  type UnenrollRequest,
} from '../../src/enrollments/repository.js';
import {
  enrollBatch,
  unenrollBatch,
  withCoalescedWrites,
  writeBatchCounts,
} from '../../src/enrollments/write-batch.js';
import { cycleStart } from '../../src/rules/billing-cycle.js';
import { truncateToSecond } from '../../src/rules/time.js';
import { useTestApp } from '../helpers/app.js';

const ctx = useTestApp({ env: { RATE_LIMIT_PER_HOUR: '100000', RATE_LIMIT_IP_PER_HOUR: '100000' } });

function request(promotionId: string, partnerId: string, accountId: string): EnrollRequest {
  const now = ctx.clock.now();
  const enrolledAt = truncateToSecond(now);
  return {
    id: randomUUID(),
    promotionId,
    partnerId,
    accountId,
    now,
    wallNow: now,
    enrolledAt,
    cycleEnd: cycleStart(enrolledAt, 1),
    eventId: newEventId(),
    testClockId: null,
    traceContext: null,
  };
}

const accounts = (n: number) => Promise.all(Array.from({ length: n }, () => ctx.fixtures.account()));

async function enrollmentRows(promotionId: string) {
  return queryRows<{ id: string; account_id: string; partner_id: string; is_current: boolean }>(
    ctx.app.db,
    sql`select id, account_id, partner_id, is_current from enrollments where promotion_id = ${promotionId}
        order by created_at, id`,
  );
}

async function eventsOf(ids: string[], type: string) {
  if (ids.length === 0) return [];
  return queryRows<{ id: string; enrollment_id: string; partner_id: string; actor_id: string }>(
    ctx.app.db,
    sql`select id, enrollment_id, partner_id, actor_id from events
        where type = ${type} and enrollment_id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}) order by id`,
  );
}

async function seats(promotionId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    ctx.app.db,
    sql`select enrollments_count as n from promotions where id = ${promotionId}`,
  );
  return row!.n;
}

describe('the enrollment batch statement', () => {
  it('gives the last budget seat to the first request in the batch and refuses the rest as full (rule 5)', async () => {
    const partner = await ctx.fixtures.partner();
    const promotion = await ctx.fixtures.promotion(partner.id, { maxEnrollments: 2 });
    const [first, ...rest] = await accounts(5);
    const [taken] = await enrollBatch(ctx.app.db, [request(promotion, partner.id, first!.id)]);
    expect(taken).toMatchObject({ inserted: 1, budgeted: true, alone: false });

    const requests = rest.map((a) => request(promotion, partner.id, a.id));
    const outcomes = await enrollBatch(ctx.app.db, requests);
    expect(outcomes.map((o) => [o.status, o.budgeted, o.inserted, o.alone])).toEqual([
      ['active', true, 1, false],
      ['active', true, 0, false],
      ['active', true, 0, false],
      ['active', true, 0, false],
    ]);
    expect(await seats(promotion)).toBe(2);
    const rows = await enrollmentRows(promotion);
    expect(rows.map((r) => r.account_id).sort()).toEqual([first!.id, rest[0]!.id].sort());
    expect((await eventsOf([requests[0]!.id], 'enrollment.created')).map((e) => e.id)).toEqual([
      requests[0]!.eventId,
    ]);
  });

  it('shares the free seats of several promotions among their own requests, in arrival order', async () => {
    const partner = await ctx.fixtures.partner();
    const small = await ctx.fixtures.promotion(partner.id, { maxEnrollments: 1 });
    const larger = await ctx.fixtures.promotion(partner.id, { maxEnrollments: 2 });
    const open = await ctx.fixtures.promotion(partner.id);
    const people = await accounts(7);
    const plan = [small, larger, open, small, larger, larger, open];
    const outcomes = await enrollBatch(
      ctx.app.db,
      plan.map((promotion, i) => request(promotion, partner.id, people[i]!.id)),
    );
    expect(outcomes.map((o) => o.inserted)).toEqual([1, 1, 1, 0, 1, 0, 1]);
    expect(outcomes.map((o) => o.budgeted)).toEqual([true, true, false, true, true, true, false]);
    expect([await seats(small), await seats(larger), await seats(open)]).toEqual([1, 2, 0]);
  });

  it("keeps each partner's rows its own in a batch spanning two partners (rule 7)", async () => {
    const [a, b] = [await ctx.fixtures.partner(), await ctx.fixtures.partner()];
    const [promoA, promoB] = [await ctx.fixtures.promotion(a.id), await ctx.fixtures.promotion(b.id)];
    const people = await accounts(4);
    const requests = [
      request(promoA, a.id, people[0]!.id),
      request(promoB, b.id, people[1]!.id),
      request(promoB, a.id, people[2]!.id), // partner A asking for partner B's promotion
      request(promoA, b.id, people[3]!.id), // and B for A's
    ];
    const outcomes = await enrollBatch(ctx.app.db, requests);
    expect(outcomes.map((o) => [o.status, o.inserted])).toEqual([
      ['active', 1],
      ['active', 1],
      [null, 0],
      [null, 0],
    ]);
    expect((await enrollmentRows(promoA)).map((r) => [r.account_id, r.partner_id])).toEqual([
      [people[0]!.id, a.id],
    ]);
    expect((await enrollmentRows(promoB)).map((r) => [r.account_id, r.partner_id])).toEqual([
      [people[1]!.id, b.id],
    ]);
    const events = await eventsOf([requests[0]!.id, requests[1]!.id], 'enrollment.created');
    expect(
      events
        .map((e) => [e.id, e.enrollment_id, e.partner_id, e.actor_id])
        .sort((x, y) => x[0]!.localeCompare(y[0]!)),
    ).toEqual(
      [
        [requests[0]!.eventId, requests[0]!.id, a.id, a.id],
        [requests[1]!.eventId, requests[1]!.id, b.id, b.id],
      ].sort((x, y) => x[0]!.localeCompare(y[0]!)),
    );
  });

  it('answers a promotion outside its window per request, changing nothing (rule 6)', async () => {
    const partner = await ctx.fixtures.partner();
    const paused = await ctx.fixtures.promotion(partner.id, { status: 'paused', maxEnrollments: 5 });
    const later = await ctx.fixtures.promotion(partner.id, {
      startsAt: new Date(ctx.clock.now().getTime() + 86_400_000),
    });
    const open = await ctx.fixtures.promotion(partner.id, { maxEnrollments: 5 });
    const people = await accounts(3);
    const outcomes = await enrollBatch(ctx.app.db, [
      request(paused, partner.id, people[0]!.id),
      request(later, partner.id, people[1]!.id),
      request(open, partner.id, people[2]!.id),
    ]);
    expect(outcomes.map((o) => [o.status, o.inserted, o.alone])).toEqual([
      ['paused', 0, false],
      ['active', 0, false],
      ['active', 1, false],
    ]);
    expect(outcomes[1]!.starts_at).toBe(ctx.clock.now().getTime() + 86_400_000);
    expect([await seats(paused), await seats(open)]).toEqual([0, 1]);
  });

  it('leaves a request that meets a current enrollment to run alone, and retires a dead one where re-enrollment is allowed (rule 4)', async () => {
    const partner = await ctx.fixtures.partner();
    const strict = await ctx.fixtures.promotion(partner.id, { maxEnrollments: 3 });
    const again = await ctx.fixtures.promotion(partner.id, { allowReenrollment: true });
    const [enrolled, unenrolled, fresh] = await accounts(3);
    const [one] = await enrollBatch(ctx.app.db, [request(strict, partner.id, enrolled!.id)]);
    expect(one!.inserted).toBe(1);
    const past = request(again, partner.id, unenrolled!.id);
    await enrollBatch(ctx.app.db, [past]);
    await unenrollBatch(ctx.app.db, [
      {
        key: { id: past.id, promotionId: again },
        scope: { partnerId: partner.id, accountId: null },
        now: ctx.clock.now(),
        eventId: newEventId(),
        traceContext: null,
      },
    ]);

    const outcomes = await enrollBatch(ctx.app.db, [
      request(strict, partner.id, enrolled!.id),
      request(again, partner.id, unenrolled!.id),
      request(strict, partner.id, fresh!.id),
    ]);
    expect(outcomes.map((o) => [o.inserted, o.alone])).toEqual([
      [0, true],
      [1, false],
      [1, false],
    ]);
    // The left-out request took no seat: two of three are taken, by the enrolled and the fresh.
    expect(await seats(strict)).toBe(2);
    const retried = await enrollmentRows(again);
    expect(retried.map((r) => [r.id === past.id, r.is_current]).sort()).toEqual([
      [false, true],
      [true, false],
    ]);
  });
});

describe('the unenrollment batch statement', () => {
  it('unenrolls an enrollment asked twice once, for the first asker, and only what each may see (rule 8)', async () => {
    const [a, b] = [await ctx.fixtures.partner(), await ctx.fixtures.partner()];
    const promotion = await ctx.fixtures.promotion(a.id);
    const people = await accounts(3);
    const made = people.map((p) => request(promotion, a.id, p.id));
    await enrollBatch(ctx.app.db, made);
    const ask = (i: number, scope: UnenrollRequest['scope']): UnenrollRequest => ({
      key: { id: made[i]!.id, promotionId: promotion },
      scope,
      now: ctx.clock.now(),
      eventId: newEventId(),
      traceContext: null,
    });
    const asks = [
      ask(0, { partnerId: b.id, accountId: null }), // another partner: nothing
      ask(0, { partnerId: a.id, accountId: people[1]!.id }), // another account's user token: nothing
      ask(0, { partnerId: a.id, accountId: people[0]!.id }), // its own user token
      ask(0, { partnerId: a.id, accountId: null }), // then the app token: already done
      ask(1, { partnerId: a.id, accountId: null }),
    ];
    expect(await unenrollBatch(ctx.app.db, asks)).toEqual([false, false, true, false, true]);
    const events = await eventsOf([made[0]!.id, made[1]!.id, made[2]!.id], 'enrollment.unenrolled');
    expect(events.map((e) => e.id).sort()).toEqual([asks[2]!.eventId, asks[4]!.eventId].sort());
    expect(events.every((e) => e.partner_id === a.id)).toBe(true);
  });
});

describe('the coalesced repository', () => {
  // Ten at once: two go alone (two statements in flight), the eight that queue leave as one batch.
  const TEN = 10;

  it('fails only the request whose row breaks the batch statement, and answers its neighbours', async () => {
    const repository = withCoalescedWrites(createEnrollmentsRepository(ctx.app.db), ctx.app.db);
    const partner = await ctx.fixtures.partner();
    const promotion = await ctx.fixtures.promotion(partner.id, { maxEnrollments: 20 });
    const people = await accounts(TEN);
    const requests = people.map((p) => request(promotion, partner.id, p.id));
    requests[6] = request(promotion, partner.id, randomUUID()); // no such account: a foreign-key violation
    const before = { ...writeBatchCounts.enroll };
    const settled = await Promise.allSettled(requests.map((r) => repository.enroll(r)));
    expect(writeBatchCounts.enroll.batches - before.batches).toBeGreaterThan(0);
    expect(settled.map((s) => s.status)).toEqual(
      requests.map((_, i) => (i === 6 ? 'rejected' : 'fulfilled')),
    );
    expect(sqlState((settled[6] as PromiseRejectedResult).reason)).toBe('23503');
    expect(
      settled
        .filter((s) => s.status === 'fulfilled')
        .map((s) => (s as PromiseFulfilledResult<{ inserted: number }>).value.inserted),
    ).toEqual(Array(TEN - 1).fill(1));
    expect(await seats(promotion)).toBe(TEN - 1);
  });

  it('runs the second enrollment of one account in a batch after the first: one inserted, then its unique violation', async () => {
    const repository = withCoalescedWrites(createEnrollmentsRepository(ctx.app.db), ctx.app.db);
    const partner = await ctx.fixtures.partner();
    const promotion = await ctx.fixtures.promotion(partner.id, { maxEnrollments: 20 });
    const people = await accounts(TEN);
    const requests = people.map((p) => request(promotion, partner.id, p.id));
    requests[7] = request(promotion, partner.id, people[4]!.id);
    const before = { ...writeBatchCounts.enroll };
    const settled = await Promise.allSettled(requests.map((r) => repository.enroll(r)));
    expect(writeBatchCounts.enroll.batches - before.batches).toBeGreaterThan(0);
    expect(settled.map((s) => s.status)).toEqual(
      requests.map((_, i) => (i === 7 ? 'rejected' : 'fulfilled')),
    );
    expect(sqlState((settled[7] as PromiseRejectedResult).reason)).toBe('23505');
    expect(
      (await enrollmentRows(promotion)).filter((r) => r.account_id === people[4]!.id).map((r) => r.id),
    ).toEqual([requests[4]!.id]);
    expect(await seats(promotion)).toBe(TEN - 1);
  });
});

describe('POST and DELETE /v2/promotions sent together', () => {
  // Over a socket: each request arrives on its own (light-my-request's bodies would reach the
  // routes one by one on PGlite, whose statements run inside the event loop).
  let base: string;
  beforeAll(async () => {
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  });
  const send = (method: 'POST' | 'DELETE', path: string, token: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }).then(async (r) => ({
      status: r.status,
      body: (r.status === 204 ? {} : await r.json()) as Record<string, unknown>,
    }));
  const post = (token: string, promotionId: string) =>
    send('POST', '/v2/promotions', token, { promotion_id: promotionId });
  const code = (answer: { body: Record<string, unknown> }) =>
    (answer.body.errors as Array<{ code: string }> | undefined)?.[0]?.code ?? null;

  /**
   * On PostgreSQL, so that the burst is coalesced whatever the machine's speed: two requests
   * held on a row lock fill the batcher's two slots, everything sent meanwhile queues, and the
   * queue leaves in batches once the lock is released. (PGlite runs each statement inside the
   * event loop: requests reach it one by one, and nothing is held.)
   */
  async function whileTwoHeld<T>(
    lock: SQL,
    stats: BatcherStats,
    sendHeld: () => Promise<unknown>[],
    sendBurst: () => Promise<T>,
    burstSize: number,
  ): Promise<{ burst: T; held: unknown[] }> {
    if (ctx.app.database.kind !== 'pg') return { burst: await sendBurst(), held: [] };
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = ctx.app.db.transaction(async (tx) => {
      await tx.execute(lock);
      locked();
      await released;
    });
    await isLocked;
    const start = stats.requests;
    const held = Promise.all(sendHeld());
    await vi.waitFor(() => expect(stats.requests - start).toBe(2));
    const burst = sendBurst();
    await vi.waitFor(() => expect(stats.requests - start).toBe(2 + burstSize), { timeout: 3000 });
    release();
    await holder;
    return { burst: await burst, held: await held };
  }

  it('answers each as the rules say, in fewer statements than requests', async () => {
    const [a, b] = [await ctx.fixtures.partner(), await ctx.fixtures.partner()];
    const openA = await ctx.fixtures.promotion(a.id);
    const fullA = await ctx.fixtures.promotion(a.id, { maxEnrollments: 4 });
    const pausedA = await ctx.fixtures.promotion(a.id, { status: 'paused' });
    const openB = await ctx.fixtures.promotion(b.id);
    const plan: Array<{ partner: string; promotion: string; expect: [number, string | null] }> = [];
    const add = (n: number, partner: string, promotion: string, expected: [number, string | null]) => {
      for (let i = 0; i < n; i++) plan.push({ partner, promotion, expect: expected });
    };
    add(12, a.id, openA, [201, null]);
    add(10, a.id, fullA, [0, null]); // four 201, six 409 promotion_full: checked below
    add(3, a.id, pausedA, [409, 'promotion_not_active']);
    add(3, a.id, openB, [404, 'promotion_not_found']);
    add(8, b.id, openB, [201, null]);
    const tokens = await Promise.all(
      plan.map(async (p) => ctx.fixtures.userToken(p.partner, (await ctx.fixtures.account()).id)),
    );
    // One account also asks twice for the same promotion in the same burst.
    const twice = tokens[0]!;
    const order = plan.map((_, i) => i).sort((x, y) => ((x * 7) % plan.length) - ((y * 7) % plan.length));
    const held = await ctx.fixtures.promotion(a.id, { maxEnrollments: 10 });
    const heldTokens = await Promise.all(
      [0, 1].map(async () => ctx.fixtures.userToken(a.id, (await ctx.fixtures.account()).id)),
    );
    const before = { ...writeBatchCounts.enroll };
    const { burst: answers, held: heldAnswers } = await whileTwoHeld(
      sql`select 1 from promotions where id = ${held} for update`,
      writeBatchCounts.enroll,
      () => heldTokens.map((t) => post(t, held)),
      () =>
        Promise.all([
          ...order.map((i) => post(tokens[i]!, plan[i]!.promotion).then((answer) => ({ i, answer }))),
          post(twice, openA).then((answer) => ({ i: -1, answer })),
        ]),
      plan.length + 1,
    );
    expect((heldAnswers as Array<{ status: number }>).map((r) => r.status)).toEqual(
      ctx.app.database.kind === 'pg' ? [201, 201] : [],
    );
    const counted = writeBatchCounts.enroll;
    const requests = counted.requests - before.requests;
    expect(requests).toBe(plan.length + 1 + heldAnswers.length);
    if (ctx.app.database.kind === 'pg') {
      expect(counted.batches - before.batches).toBeGreaterThan(0);
      expect(counted.statements - before.statements).toBeLessThan(requests / 2);
    }

    const byIndex = new Map(answers.map(({ i, answer }) => [i, answer]));
    const full = plan.flatMap((p, i) => (p.promotion === fullA ? [byIndex.get(i)!] : []));
    expect(full.filter((r) => r.status === 201)).toHaveLength(4);
    expect(full.filter((r) => r.status === 409 && code(r) === 'promotion_full')).toHaveLength(6);
    plan.forEach((p, i) => {
      // fullA's seats are counted above; index 0's account also asked as -1: the pair is checked below.
      if (p.promotion === fullA || i === 0) return;
      const answer = byIndex.get(i)!;
      expect([i, answer.status, code(answer)]).toEqual([i, p.expect[0], p.expect[1]]);
    });
    // The account that asked twice: exactly one of its two requests enrolled it.
    const pair = [byIndex.get(0)!, byIndex.get(-1)!];
    expect(pair.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(code(pair.find((r) => r.status === 409)!)).toBe('already_enrolled');
    expect(await seats(fullA)).toBe(4);
    expect((await enrollmentRows(openA)).length).toBe(12);

    // Every enrollment made, unenrolled twice at once (its user token and its partner's app token): one 204 each.
    const made = answers.filter(({ answer }) => answer.status === 201);
    const appTokens = new Map([
      [a.id, await ctx.fixtures.appToken(a.id)],
      [b.id, await ctx.fixtures.appToken(b.id)],
    ]);
    const ownerOf = (i: number) => (i === -1 ? plan[0]! : plan[i]!);
    const deletes = () =>
      made.flatMap(({ i, answer }) => {
        const url = `/v2/promotions/${answer.body.enrollment_id as string}`;
        return [
          send('DELETE', url, i === -1 ? twice : tokens[i]!),
          send('DELETE', url, appTokens.get(ownerOf(i).partner)!),
        ];
      });
    const heldIds = (await enrollmentRows(held)).map((r) => r.id);
    const heldApp = appTokens.get(a.id)!;
    const beforeDeletes = { ...writeBatchCounts.unenroll };
    const { burst: deleted, held: heldDeletes } = await whileTwoHeld(
      sql`select 1 from enrollments where promotion_id = ${held} for update`,
      writeBatchCounts.unenroll,
      () => heldIds.map((id) => send('DELETE', `/v2/promotions/${held}:${id}`, heldApp)),
      () => Promise.all(deletes()),
      made.length * 2,
    );
    expect((heldDeletes as Array<{ status: number }>).map((r) => r.status)).toEqual(
      ctx.app.database.kind === 'pg' ? [204, 204] : [],
    );
    if (ctx.app.database.kind === 'pg') {
      const unenrolls = writeBatchCounts.unenroll;
      expect(unenrolls.batches - beforeDeletes.batches).toBeGreaterThan(0);
      expect(unenrolls.statements - beforeDeletes.statements).toBeLessThan(
        (unenrolls.requests - beforeDeletes.requests) / 2,
      );
    }
    for (let k = 0; k < made.length; k++) {
      expect([deleted[2 * k]!.status, deleted[2 * k + 1]!.status].sort()).toEqual([204, 404]);
    }
    const ids = made.map(({ answer }) => (answer.body.enrollment_id as string).split(':')[1]!);
    expect(await eventsOf(ids, 'enrollment.unenrolled')).toHaveLength(made.length);
    expect(await eventsOf(ids, 'enrollment.created')).toHaveLength(made.length);
  });
});
