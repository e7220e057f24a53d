// CONTRACT §12, property-based on both backends: for random accounts (0 to 3 enrollments of
// random limits, 0 and unlimited included, and random expiries), random batches (random tasks,
// random occurred_at within the window, repeated and reused event ids) give exactly what a small
// reference model written from SPEC §12's words gives: each event's sponsored + unsponsored =
// its tasks, the SPEC order, no cycle above its limit, duplicates with their first numbers.
// The model is this file's own (not src/rules/allocation.ts), so the two are independent.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { type PartnerFixture, useTestApp } from '../helpers/app.js';
import { requestsFor } from '../helpers/requests.js';
import { meteringFor } from './helpers.js';

const ctx = useTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
let partner: PartnerFixture;
const m = meteringFor(ctx, () => partner);
const { user, enroll } = requestsFor(ctx, () => partner);

const NOW = Date.parse('2026-06-15T12:00:00Z');
/** Limits (0 and unlimited included) and durations (none included) the promotions combine. */
const SHAPES = [
  { limit: null, days: null },
  { limit: 0, days: 60 },
  { limit: 1, days: 30 },
  { limit: 4, days: null },
  { limit: 10, days: 10 },
  { limit: 25, days: 60 },
  { limit: null, days: 30 },
  { limit: 7, days: 5 },
] as const;
let promotions: Array<{ id: string; limit: number | null }>;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
  promotions = [];
  for (const s of SHAPES) {
    const id = await ctx.fixtures.promotion(partner.id, { taskLimitPerMonth: s.limit, durationDays: s.days });
    promotions.push({ id, limit: s.limit });
  }
});

// ---- The reference model, from SPEC §12 (and §3 rule 2 for the billing cycle). ----

interface ModelEnrollment {
  enrollmentId: string;
  promotionId: string;
  limit: number | null;
  enrolledAt: number;
  /** expiration_date as the API reports it; null: never. */
  expiresAt: number | null;
}
interface ModelResult {
  id: string;
  status: 'recorded' | 'duplicate' | 'rejected';
  sponsored: number;
  unsponsored: number;
  allocations: Array<{ enrollment_id: string; promotion_id: string; tasks: number }>;
  code?: string;
}

/** Rule 2: cycle k starts k calendar months after the enrollment instant, the day clamped, the time kept. */
function cycleStartAt(anchorMs: number, atMs: number): number {
  const anchor = new Date(anchorMs);
  const startOf = (k: number) => {
    const month = anchor.getUTCMonth() + k;
    const year = anchor.getUTCFullYear() + Math.floor(month / 12);
    const last = new Date(Date.UTC(year, (month % 12) + 1, 0)).getUTCDate();
    return Date.UTC(
      year,
      month % 12,
      Math.min(anchor.getUTCDate(), last),
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    );
  };
  let k = 0;
  while (startOf(k + 1) <= atMs) k++;
  return startOf(k);
}

function createModel() {
  const used = new Map<string, number>();
  const recorded = new Map<string, { result: ModelResult; account: string; tasks: number; at: number }>();

  /** One event, in request order. */
  function apply(
    event: { id: string; account: string; tasks: number; at: number; atGiven: boolean },
    enrollments: ModelEnrollment[],
  ): ModelResult {
    const first = recorded.get(event.id);
    if (first) {
      const same =
        first.account === event.account &&
        first.tasks === event.tasks &&
        (!event.atGiven || first.at === event.at);
      if (same) return { ...first.result, status: 'duplicate' };
      return {
        id: event.id,
        status: 'rejected',
        sponsored: 0,
        unsponsored: 0,
        allocations: [],
        code: 'event_id_reused',
      };
    }
    // "enrolled at or before it, not unenrolled at or before it, effective expiration not before it"
    const sponsors = enrollments
      .filter((e) => e.enrolledAt <= event.at && (e.expiresAt === null || e.expiresAt >= event.at))
      // "earliest effective expiration_date first (none: last), then earliest enrollment_date, then enrollment_id"
      .sort(
        (a, b) =>
          (a.expiresAt ?? Number.POSITIVE_INFINITY) - (b.expiresAt ?? Number.POSITIVE_INFINITY) ||
          a.enrolledAt - b.enrolledAt ||
          (a.enrollmentId < b.enrollmentId ? -1 : a.enrollmentId > b.enrollmentId ? 1 : 0),
      );
    let left = event.tasks;
    const allocations: ModelResult['allocations'] = [];
    for (const s of sponsors) {
      if (left === 0) break;
      // "Each takes what is left of its task_limit_per_month in its billing cycle that contains occurred_at"
      const key = `${s.enrollmentId}@${cycleStartAt(s.enrolledAt, event.at)}`;
      const have = used.get(key) ?? 0;
      const take = s.limit === null ? left : Math.min(left, Math.max(0, s.limit - have));
      if (take === 0) continue;
      used.set(key, have + take);
      allocations.push({ enrollment_id: s.enrollmentId, promotion_id: s.promotionId, tasks: take });
      left -= take;
    }
    const result: ModelResult = {
      id: event.id,
      status: 'recorded',
      sponsored: event.tasks - left,
      unsponsored: left,
      allocations,
    };
    recorded.set(event.id, { result, account: event.account, tasks: event.tasks, at: event.at });
    return result;
  }

  return { apply, used };
}

// ---- The generated cases. ----

const accountArb = fc.record({
  // Distinct promotions (one live enrollment per account and promotion), 0 to 3.
  promotions: fc.uniqueArray(fc.integer({ min: 0, max: SHAPES.length - 1 }), { maxLength: 3 }),
  // Enrolled up to 70 days before now, each on its own or all at one instant (ties on the date).
  enrolledDaysAgo: fc.array(fc.integer({ min: 0, max: 70 * 24 }), { minLength: 3, maxLength: 3 }),
  sameInstant: fc.boolean(),
});
const eventArb = fc.record({
  account: fc.nat(),
  tasks: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 1_000_000 })),
  // Whole seconds from 35 days ago to 5 minutes ahead; sometimes none (now).
  at: fc.option(fc.integer({ min: -35 * 24 * 3600 + 1, max: 300 }), { nil: undefined, freq: 6 }),
  /** 0: a new id; 1: the same event as an earlier one again; 2: an earlier id with other content. */
  kind: fc.constantFrom(0, 0, 0, 0, 1, 2),
  earlier: fc.nat(),
});
const caseArb = fc.record({
  accounts: fc.array(accountArb, { minLength: 1, maxLength: 3 }),
  events: fc.array(eventArb, { minLength: 1, maxLength: 30 }),
  requests: fc.integer({ min: 1, max: 3 }),
});

describe('allocation against a reference model (CONTRACT §12)', () => {
  it('gives every event what SPEC §12 says, whatever the accounts and batches', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        run++;
        // Accounts and their enrollments, each enrolled at its own (whole-second) instant.
        const accounts: Array<{ accountId: string; enrollments: ModelEnrollment[] }> = [];
        for (const a of c.accounts) {
          const { accountId, token } = await user();
          const enrollments: ModelEnrollment[] = [];
          for (const [i, p] of a.promotions.entries()) {
            const hoursAgo = a.enrolledDaysAgo[a.sameInstant ? 0 : i]!;
            ctx.clock.set(new Date(NOW - hoursAgo * 3600 * 1000));
            const res = await enroll(token, promotions[p]!.id);
            expect(res.statusCode, res.body).toBe(201);
            // The dates as GET /v2 reports them (the answer to POST carries the id only).
            const detail = await ctx.app.inject({
              method: 'GET',
              url: `/v2/promotions/${res.json().enrollment_id}`,
              headers: { authorization: `Bearer ${token}` },
            });
            const body = detail.json();
            enrollments.push({
              enrollmentId: body.enrollment_id,
              promotionId: body.promotion_id,
              limit: body.task_limit_per_month,
              enrolledAt: Date.parse(body.enrollment_date),
              expiresAt: body.expiration_date === null ? null : Date.parse(body.expiration_date),
            });
          }
          accounts.push({ accountId, enrollments });
        }
        ctx.clock.set(new Date(NOW));

        // The events: new ones, exact repeats, and ids reused with other content.
        const sent: Array<{ id: string; account_id: string; tasks: number; occurred_at?: string }> = [];
        for (const [i, e] of c.events.entries()) {
          const earlier = sent.length > 0 ? sent[e.earlier % sent.length]! : undefined;
          if (earlier && e.kind === 1) {
            sent.push({ ...earlier });
          } else if (earlier && e.kind === 2) {
            sent.push({ ...earlier, tasks: earlier.tasks === 1_000_000 ? 1 : earlier.tasks + 1 });
          } else {
            const event: (typeof sent)[number] = {
              id: `p-${run}-${i}`,
              account_id: accounts[e.account % accounts.length]!.accountId,
              tasks: e.tasks,
            };
            if (e.at !== undefined) event.occurred_at = new Date(NOW + e.at * 1000).toISOString();
            sent.push(event);
          }
        }

        const model = createModel();
        const enrollmentsOf = new Map(accounts.map((a) => [a.accountId, a.enrollments]));
        const expected = sent.map((e) =>
          model.apply(
            {
              id: e.id,
              account: e.account_id,
              tasks: e.tasks,
              at: e.occurred_at === undefined ? NOW : Date.parse(e.occurred_at),
              atGiven: e.occurred_at !== undefined,
            },
            enrollmentsOf.get(e.account_id)!,
          ),
        );

        // Sent in 1 to 3 consecutive requests.
        const size = Math.ceil(sent.length / c.requests);
        const got: ModelResult[] = [];
        for (let from = 0; from < sent.length; from += size) {
          const res = await m.ingest(sent.slice(from, from + size));
          expect(res.statusCode, res.body).toBe(200);
          for (const r of res.json().data) {
            const { error, ...rest } = r;
            got.push(error ? { ...rest, code: error.code } : rest);
          }
        }
        expect(got).toEqual(expected);
        for (const r of got) {
          if (r.status !== 'rejected') {
            expect(r.sponsored + r.unsponsored).toBe(sent.find((e) => e.id === r.id)!.tasks);
          }
        }

        // The counters hold what the model counted, and none is above its limit.
        const ids = accounts.flatMap((a) => a.enrollments.map((e) => e.enrollmentId.split(':')[1]!));
        const rows = await queryRows<{
          enrollment_id: string;
          cycle_start: number;
          used: number;
          lim: number | null;
        }>(
          ctx.app.db,
          sql`select c.enrollment_id::text, (extract(epoch from c.cycle_start) * 1000)::float8 as cycle_start, c.used,
                     p.task_limit_per_month as lim
              from usage_counters c join enrollments e on e.id = c.enrollment_id join promotions p on p.id = e.promotion_id
              where c.enrollment_id = any(${sql.param(ids)}::uuid[]) and c.used > 0`,
        );
        for (const row of rows) if (row.lim !== null) expect(row.used).toBeLessThanOrEqual(row.lim);
        const byUuid = new Map(
          accounts.flatMap((a) => a.enrollments.map((e) => [e.enrollmentId.split(':')[1]!, e.enrollmentId])),
        );
        expect(
          Object.fromEntries(
            rows.map((r) => [`${byUuid.get(r.enrollment_id)}@${Number(r.cycle_start)}`, r.used]),
          ),
        ).toEqual(Object.fromEntries(model.used));
      }),
      { numRuns: 40, endOnFailure: true },
    );
  }, 120_000);
});
