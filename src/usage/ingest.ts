// CONTRACT §12: usage metering. The platform reports batches of events; each event's tasks are
// allocated across the account's sponsoring enrollments (src/rules/allocation.ts) under rule 3,
// and the answer says, event by event, what was sponsored. One request is one transaction of a
// fixed handful of statements (src/usage/ingest-repository.ts), whatever its size.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditContext, AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { sqlState } from '../db/errors.js';
import { enrollmentEvent } from '../enrollments/events.js';
import type { EnrollmentView } from '../enrollments/views.js';
import { ERRORS } from '../errors.js';
import { eventLog } from '../events/event-log.js';
import { allocate, type SponsorCandidate, sponsorsInOrder } from '../rules/allocation.js';
import { cycleAt } from '../rules/billing-cycle.js';
import { formatEnrollmentId } from '../rules/enrollment-id.js';
import { usageCrossings } from '../rules/usage.js';
import { DateTimeSchema, ExternalIdSchema } from '../schemas.js';
import { type UsageEventError, usageEventError } from './event-errors.js';
import {
  type CounterKey,
  counterKey,
  type EnrollmentRef,
  type EventRow,
  type IngestRepository,
  type LedgerRow,
  type StoredEvent,
} from './ingest-repository.js';

/** How far back an event may have occurred, and how far ahead (clock skew). */
export const MAX_EVENT_AGE_MS = 35 * 24 * 3600 * 1000;
export const MAX_EVENT_LEAD_MS = 5 * 60 * 1000;
/** At most this many events per request. */
export const MAX_EVENTS_PER_REQUEST = 1000;
/**
 * A request that loses a race (another drew from one of its counters, or recorded one of its
 * ids, since it read them) starts over from a fresh read, after a short random pause, this many
 * times at most; then 503, nothing counted.
 */
const ATTEMPTS = 8;
const RETRY_PAUSE_MS = 10;
/** How close to its limit (a share of it) a counter may come before a batch locks it first. */
const NEAR_LIMIT = 0.1;

export const UsageEventSchema = z
  .object({
    id: z.string().regex(/^[\x20-\x7E]{1,255}$/, 'must be 1 to 255 printable ASCII characters'),
    account_id: z.uuid().optional(),
    external_account_id: ExternalIdSchema.optional(),
    tasks: z.number().int().min(1).max(1_000_000),
    occurred_at: DateTimeSchema.optional(),
  })
  .refine((e) => (e.account_id === undefined) !== (e.external_account_id === undefined), {
    message: 'give exactly one of account_id and external_account_id',
    path: ['account_id'],
  });

export interface Allocation {
  enrollment_id: string;
  promotion_id: string;
  tasks: number;
}

export interface UsageEventResult {
  id: string | null;
  status: 'recorded' | 'duplicate' | 'rejected';
  sponsored: number;
  unsponsored: number;
  allocations: Allocation[];
  error?: UsageEventError;
}

/** An event that passed its own checks, ready to be allocated. */
interface Candidate {
  index: number;
  id: string;
  accountId: string;
  tasks: number;
  at: Date;
  /** Whether the request gave occurred_at (a repeat without one matches any recorded instant). */
  atGiven: boolean;
}

class LostRace extends Error {}

const rejected = (id: string | null, error: UsageEventError): UsageEventResult => ({
  id,
  status: 'rejected',
  sponsored: 0,
  unsponsored: 0,
  allocations: [],
  error,
});

const pointerOf = (index: number, path: readonly PropertyKey[]) =>
  `/events/${index}${path.map((p) => `/${String(p)}`).join('')}`;

/** The event id a result echoes: the one sent when it is a plausible id, else null. */
const echoId = (raw: unknown): string | null => {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length <= 255 ? id : null;
};

const reused = (c: Candidate): UsageEventResult =>
  rejected(
    c.id,
    usageEventError(
      'event_id_reused',
      'An event with this id was recorded with another account, tasks or occurred_at.',
      pointerOf(c.index, ['id']),
    ),
  );

const sameContent = (c: Candidate, s: { accountId: string; tasks: number; occurredAt: number }) =>
  c.accountId === s.accountId && c.tasks === s.tasks && (!c.atGiven || c.at.getTime() === s.occurredAt);

export function createIngestService(deps: {
  db: Db;
  clock: Clock;
  ingest: IngestRepository;
  views: { findViewsByIds(ids: string[], now: Date, tx?: Db): Promise<EnrollmentView[]> };
  auditLog: AuditLog;
}) {
  const { db, clock, ingest, views, auditLog } = deps;

  /** CONTRACT §12: records a batch; one result per event, in request order. */
  async function record(events: readonly unknown[], audit?: AuditContext): Promise<UsageEventResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        // The first attempt reads without locks; a retry claims its ids and locks its counters
        // before it allocates, so it cannot lose again (the same order: ids, then counters).
        return await recordOnce(events, audit, attempt > 1);
      } catch (err) {
        const retry = err instanceof LostRace || sqlState(err) === '40P01';
        if (!retry) throw err;
        // Nothing was counted: the request may be sent again as it is.
        if (attempt >= ATTEMPTS) throw ERRORS.serviceUnavailable();
        await new Promise((resolve) => setTimeout(resolve, Math.random() * RETRY_PAUSE_MS * attempt));
      }
    }
  }

  async function recordOnce(
    events: readonly unknown[],
    audit: AuditContext | undefined,
    lockFirst: boolean,
  ): Promise<UsageEventResult[]> {
    const wallNow = clock.now();
    const results: Array<UsageEventResult | undefined> = new Array(events.length);

    // 1. Each event's own shape.
    const parsed: Array<{ index: number; event: z.infer<typeof UsageEventSchema> }> = [];
    events.forEach((raw, index) => {
      const check = UsageEventSchema.safeParse(raw);
      if (check.success) {
        parsed.push({ index, event: check.data });
        return;
      }
      const issue = check.error.issues[0]!;
      const field = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
      results[index] = rejected(
        echoId(raw),
        usageEventError('invalid_event', `${field}${issue.message}`, pointerOf(index, issue.path)),
      );
    });

    return db.transaction(async (tx) => {
      // 2. One read: accounts, earlier events under these ids, the accounts' enrollments.
      const batch = await ingest.readBatch(
        {
          accountIds: [...new Set(parsed.flatMap((p) => (p.event.account_id ? [p.event.account_id] : [])))],
          externalIds: [
            ...new Set(
              parsed.flatMap((p) => (p.event.external_account_id ? [p.event.external_account_id] : [])),
            ),
          ],
          eventIds: [...new Set(parsed.map((p) => p.event.id))],
          // Counters of cycles that may contain the events: none is older than 35 days, and a
          // cycle is at most 31 days long.
          since: new Date(
            Math.min(
              wallNow.getTime(),
              ...parsed.map((p) => p.event.occurred_at?.getTime() ?? Number.POSITIVE_INFINITY),
            ) -
              32 * 24 * 3600 * 1000,
          ),
        },
        tx,
      );
      const byId = new Map(batch.accounts.map((a) => [a.id, a]));
      const byExternalId = new Map(batch.accounts.flatMap((a) => (a.externalId ? [[a.externalId, a]] : [])));
      const stored = new Map(batch.events.map((e) => [e.id, e]));

      // 3. The account, the instant (its clock's now on a test clock), ids seen before.
      const fresh: Candidate[] = [];
      const firstInRequest = new Map<string, Candidate>();
      const duplicates: Array<{ index: number; of: Candidate | StoredEvent }> = [];
      for (const { index, event } of parsed) {
        const account = event.account_id
          ? byId.get(event.account_id)
          : byExternalId.get(event.external_account_id!);
        if (!account) {
          const field = event.account_id ? 'account_id' : 'external_account_id';
          results[index] = rejected(
            event.id,
            usageEventError('account_not_found', `No account has this ${field}.`, pointerOf(index, [field])),
          );
          continue;
        }
        const now = account.clockTime === null ? wallNow : new Date(account.clockTime);
        const at = event.occurred_at ?? now;
        if (at.getTime() < now.getTime() - MAX_EVENT_AGE_MS) {
          results[index] = rejected(
            event.id,
            usageEventError(
              'event_too_old',
              'occurred_at is more than 35 days ago.',
              pointerOf(index, ['occurred_at']),
            ),
          );
          continue;
        }
        if (at.getTime() > now.getTime() + MAX_EVENT_LEAD_MS) {
          results[index] = rejected(
            event.id,
            usageEventError(
              'event_in_future',
              'occurred_at is more than 5 minutes in the future.',
              pointerOf(index, ['occurred_at']),
            ),
          );
          continue;
        }
        const candidate: Candidate = {
          index,
          id: event.id,
          accountId: account.id,
          tasks: event.tasks,
          at,
          atGiven: event.occurred_at !== undefined,
        };
        const earlier = stored.get(event.id);
        const first = firstInRequest.get(event.id);
        const original = earlier ?? first;
        if (original) {
          const content = earlier ?? {
            accountId: first!.accountId,
            tasks: first!.tasks,
            occurredAt: first!.at.getTime(),
          };
          if (sameContent(candidate, content)) duplicates.push({ index, of: original });
          else results[index] = reused(candidate);
          continue;
        }
        firstInRequest.set(event.id, candidate);
        fresh.push(candidate);
      }

      // 4. Each event's sponsors at its instant, in order, each in the cycle containing it.
      const { sponsorsOfAccount, read } = indexEnrollments(batch.enrollments);
      let plans = fresh.map((candidate) => ({
        candidate,
        sponsors: sponsorsInOrder(sponsorsOfAccount.get(candidate.accountId) ?? [], candidate.at).map((s) => {
          const cycleStart = cycleAt(s.enrolledAt, candidate.at).start;
          return { ...s, cycleStart, key: counterKey(s.id, cycleStart.getTime()) };
        }),
      }));

      // A retry, or a batch that would likely lose (it draws close to a limit that other
      // requests may be drawing from too), takes the locked path: it claims its fresh ids first
      // (sorted, as every write inserts them: one another request recorded meanwhile is
      // committed once the claim returns, and judged against it), then locks every counter it
      // may draw from, in key order, before it allocates. It cannot lose, and waits for no one
      // once it holds them.
      const locked = lockFirst || nearLimit(plans, read);
      if (locked && fresh.length > 0) {
        const claimed = await ingest.claimEvents(fresh, wallNow, tx);
        const lostIds = fresh.filter((c) => !claimed.has(c.id)).map((c) => c.id);
        if (lostIds.length > 0) {
          const lost = new Map((await ingest.readEvents(lostIds, tx)).map((e) => [e.id, e]));
          for (const c of fresh.filter((f) => lost.has(f.id))) {
            const original = lost.get(c.id)!;
            if (sameContent(c, original)) duplicates.push({ index: c.index, of: original });
            else results[c.index] = reused(c);
          }
          for (const d of duplicates) {
            if ('index' in d.of && lost.has(d.of.id)) d.of = lost.get(d.of.id)!;
          }
          plans = plans.filter((p) => !lost.has(p.candidate.id));
        }
        const keys = new Map<string, CounterKey>();
        for (const { sponsors } of plans) {
          for (const s of sponsors) keys.set(s.key, { enrollmentId: s.id, cycleStart: s.cycleStart });
        }
        for (const [key, value] of await ingest.lockCounters([...keys.values()], tx)) read.set(key, value);
      }

      // 5. Allocation, in request order.
      if (plans.length > 0) await allocateAndWrite(tx, plans, read, results, wallNow, audit, locked);

      for (const { index, of } of duplicates) {
        const first = 'index' in of ? results[of.index]! : fromStored(of);
        results[index] = { ...first, id: first.id, status: 'duplicate' };
      }
      return results.map((r) => r!);
    });
  }

  async function allocateAndWrite(
    tx: Db,
    plans: Plan[],
    read: Map<string, number>,
    results: Array<UsageEventResult | undefined>,
    wallNow: Date,
    audit: AuditContext | undefined,
    locked: boolean,
  ) {
    const used = new Map(read);
    const moves = new Map<string, CounterKey & { add: number; sponsor: PlannedSponsor; spilled: boolean }>();
    const ledger: LedgerRow[] = [];
    const eventRows: EventRow[] = [];

    for (const { candidate, sponsors } of plans) {
      const { shares, sponsored, unsponsored } = allocate(
        candidate.tasks,
        sponsors,
        (s) => used.get(s.key) ?? 0,
      );
      const allocations: Allocation[] = [];
      for (const { sponsor, requested, taken } of shares) {
        const move = moves.get(sponsor.key) ?? {
          enrollmentId: sponsor.id,
          cycleStart: sponsor.cycleStart,
          add: 0,
          sponsor,
          spilled: false,
        };
        move.add += taken;
        if (taken < requested) move.spilled = true;
        moves.set(sponsor.key, move);
        used.set(sponsor.key, (used.get(sponsor.key) ?? 0) + taken);
        if (taken === 0) continue;
        const enrollmentId = formatEnrollmentId(sponsor.promotionId, sponsor.id);
        allocations.push({ enrollment_id: enrollmentId, promotion_id: sponsor.promotionId, tasks: taken });
        ledger.push({
          id: randomUUID(),
          enrollmentId: sponsor.id,
          cycleStart: sponsor.cycleStart,
          requested,
          accepted: taken,
          eventId: candidate.id,
          occurredAt: candidate.at,
        });
      }
      results[candidate.index] = {
        id: candidate.id,
        status: 'recorded',
        sponsored,
        unsponsored,
        allocations,
      };
      eventRows.push({
        id: candidate.id,
        accountId: candidate.accountId,
        tasks: candidate.tasks,
        occurredAt: candidate.at,
        sponsored,
        unsponsored,
        allocations: JSON.stringify(allocations),
      });
    }

    const moving = [...moves.entries()].filter(([, m]) => m.add > 0);
    const write = locked ? ingest.writeLocked : ingest.writeBatch;
    const { lost, after } = await write(
      {
        counters: moving.map(([, m]) => ({
          enrollmentId: m.enrollmentId,
          cycleStart: m.cycleStart,
          add: m.add,
        })),
        ledger,
        events: eventRows,
        recordedAt: wallNow,
      },
      tx,
    );
    // Another request drew from one of these counters, or recorded one of these ids, since the
    // read: start over (its ids are duplicates now, its counters read afresh).
    if (lost) throw new LostRace();

    // CONTRACT §8: 80% and limit events, once per enrollment and cycle, as single usage calls raise them.
    const crossings: Array<{ type: 'usage.threshold_reached' | 'usage.limit_reached'; key: CounterKey }> = [];
    for (const [key, m] of moves) {
      const limit = m.sponsor.taskLimitPerMonth;
      // A counter this batch did not move was full already: the batch that filled it said so.
      if (limit === null || m.add === 0) continue;
      const to = after.get(key) ?? read.get(key) ?? 0;
      for (const type of usageCrossings(to - m.add, to, limit, m.spilled ? 1 : 0))
        crossings.push({ type, key: m });
    }
    if (crossings.length > 0) {
      const ids = [...new Set(crossings.map((c) => c.key.enrollmentId))];
      const viewsById = new Map((await views.findViewsByIds(ids, wallNow, tx)).map((v) => [v.id, v]));
      const actor = { type: 'admin' as const, id: null };
      await eventLog.appendMany(
        tx,
        crossings.flatMap(({ type, key }) => {
          const view = viewsById.get(key.enrollmentId);
          return view ? [enrollmentEvent(type, view, wallNow, key.cycleStart, actor)] : [];
        }),
      );
    }

    const count = (status: UsageEventResult['status']) => results.filter((r) => r?.status === status).length;
    await auditLog.record(tx, audit, {
      action: 'usage_events.recorded',
      objectType: 'usage_events',
      objectId: audit?.requestId ?? 'usage_events',
      changes: {
        recorded: { before: null, after: eventRows.length },
        rejected: { before: null, after: count('rejected') },
        tasks: { before: null, after: eventRows.reduce((n, e) => n + e.tasks, 0) },
        sponsored: { before: null, after: eventRows.reduce((n, e) => n + e.sponsored, 0) },
      },
    });
  }

  return { record };
}

type Sponsor = SponsorCandidate & { partnerId: string };
type PlannedSponsor = Sponsor & { cycleStart: Date; key: string };
interface Plan {
  candidate: Candidate;
  sponsors: PlannedSponsor[];
}

/** The accounts' sponsors, and what each counter held when read (one not read holds 0). */
function indexEnrollments(rows: EnrollmentRef[]) {
  const sponsorsOfAccount = new Map<string, Sponsor[]>();
  const read = new Map<string, number>();
  for (const e of rows) {
    const list = sponsorsOfAccount.get(e.accountId) ?? [];
    list.push({
      id: e.id,
      promotionId: e.promotionId,
      partnerId: e.partnerId,
      enrolledAt: new Date(e.enrolledAt),
      unenrolledAt: e.unenrolledAt === null ? null : new Date(e.unenrolledAt),
      expiresAt: e.expiresAt === null ? null : new Date(e.expiresAt),
      taskLimitPerMonth: e.taskLimitPerMonth,
    });
    sponsorsOfAccount.set(e.accountId, list);
    for (const c of e.counters ?? []) read.set(counterKey(e.id, c.cycleStart), c.used);
  }
  return { sponsorsOfAccount, read };
}

/**
 * Whether the optimistic write would likely lose: some limited counter, not yet full, that the
 * batch's events could fill to within NEAR_LIMIT of its limit (each event's tasks counted against
 * every limited sponsor it has, an upper bound). Concurrent requests drawing from such a counter
 * would make one of them lose; far from a limit, they all fit.
 */
export function nearLimit(plans: readonly Plan[], read: ReadonlyMap<string, number>): boolean {
  const demand = new Map<string, number>();
  for (const { candidate, sponsors } of plans) {
    for (const s of sponsors) {
      if (s.taskLimitPerMonth === null) continue;
      const used = read.get(s.key) ?? 0;
      if (used >= s.taskLimitPerMonth) continue;
      const wanted = (demand.get(s.key) ?? 0) + candidate.tasks;
      demand.set(s.key, wanted);
      if (used + wanted > s.taskLimitPerMonth * (1 - NEAR_LIMIT)) return true;
    }
  }
  return false;
}

/** A recorded event's result, from its stored row. */
function fromStored(s: StoredEvent): UsageEventResult {
  return {
    id: s.id,
    status: 'recorded',
    sponsored: s.sponsored,
    unsponsored: s.unsponsored,
    allocations: s.allocations,
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
