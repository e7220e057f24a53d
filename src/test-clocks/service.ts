import { randomUUID } from 'node:crypto';
import type { AuditContext, AuditLog } from '../audit/audit-log.js';
import type { AccountsRepository } from '../auth/accounts-repository.js';
import { randomId } from '../auth/secrets.js';
import type { TokenResponse, TokenService } from '../auth/token-service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import type { EnrollmentExpiry } from '../enrollments/expiry-repository.js';
import { ERRORS } from '../errors.js';
import { afterIdCursor, readAfterId, toPage } from '../pagination.js';
import { toRfc3339, truncateToSecond } from '../rules/time.js';
import type { RecordUsage, UsageResult, UsageService } from '../usage/service.js';
import type { TestClockRow, TestClocksRepository } from './repository.js';

/** An advance moves a clock at most this many calendar years (CONTRACT §9). */
export const MAX_ADVANCE_YEARS = 2;
/** How long (real time) an advance's claim holds before another may take over a dead one's. */
export const ADVANCE_LEASE_MS = 5 * 60_000;
/** Enrollments expired per statement while an advance sweeps its clock. */
const SWEEP_BATCH = 1_000;
/** Test accounts never sign in on the consent page: no password hash verifies against this. */
const NO_PASSWORD = '!test-clock-account';

export interface TestClockResource {
  id: string;
  frozen_time: string;
  name: string | null;
  status: 'ready' | 'advancing';
  created_at: string;
}

export const toTestClockResource = (c: TestClockRow): TestClockResource => ({
  id: c.id,
  frozen_time: toRfc3339(c.frozen_time),
  name: c.name,
  status: c.status,
  created_at: toRfc3339(c.created_at),
});

export interface ClockAccount {
  account_id: string;
  email: string;
  access_token: string;
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
}

const notFound = ERRORS.testClockNotFound;
const advancing = ERRORS.testClockAdvancing;

/** Advancing, under a claim whose lease still holds (a dead advance's clock is ready again). */
const isAdvancing = (c: TestClockRow, now: Date) =>
  c.status === 'advancing' &&
  c.advance_lease_until !== null &&
  c.advance_lease_until.getTime() >= now.getTime();

/** The clock as callers see it: a lapsed claim shows `ready`. */
const settled = (c: TestClockRow, now: Date): TestClockRow =>
  c.status === 'advancing' && !isAdvancing(c, now) ? { ...c, status: 'ready', advance_lease_until: null } : c;

function addYears(d: Date, years: number): Date {
  const out = new Date(d.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out;
}

/**
 * CONTRACT §9: a sandbox partner's test clocks. The clock's time reaches every §3 rule through
 * the rows that carry its id (accounts, tokens, enrollments); here only the clock itself,
 * its advance (which makes what fell due happen, in order), its accounts and its deletion.
 */
const CLOCK_ID = /^clock_[A-Za-z0-9_-]{1,64}$/;

export function createTestClockService(deps: {
  db: Db;
  clock: Clock;
  clocks: TestClocksRepository;
  accounts: AccountsRepository;
  expiry: Pick<EnrollmentExpiry, 'markExpired'>;
  tokenService: TokenService;
  usageService: UsageService;
  /** CONTRACT §11: an operator's advance (admin API, console) is audited in its transaction. */
  auditLog?: AuditLog;
}) {
  const { db, clock, clocks, accounts, expiry, tokenService, usageService, auditLog } = deps;

  async function get(partnerId: string, id: string): Promise<TestClockRow> {
    const found = await clocks.find(partnerId, id);
    if (!found) throw notFound();
    return settled(found, clock.now());
  }

  async function create(
    partnerId: string,
    input: { frozenTime: Date; name: string | null },
  ): Promise<TestClockRow> {
    return clocks.insert({
      id: `clock_${randomId(16)}`,
      partnerId,
      frozenTime: truncateToSecond(input.frozenTime),
      name: input.name,
      now: clock.now(),
    });
  }

  /** A partner's clocks, a page at a time by id (the partner's API and the admin mirror). */
  async function listPage(partnerId: string, query: { limit: number; cursor?: string }) {
    const rows = await list(partnerId, {
      limit: query.limit + 1,
      afterId: readAfterId(query.cursor, CLOCK_ID),
    });
    return toPage(rows, query.limit, toTestClockResource, afterIdCursor);
  }

  async function list(
    partnerId: string,
    options: { limit: number; afterId?: string },
  ): Promise<TestClockRow[]> {
    const now = clock.now();
    return (await clocks.list(partnerId, options)).map((c) => settled(c, now));
  }

  /**
   * Moves the clock forward to `to`: claimed (`advancing`, so a concurrent advance gets
   * 409), then in one transaction everything that fell due up to `to` happens — the clock's
   * enrollments past their effective expiration (rules 1 and 10) are expired in expiry order
   * with their `expired` events, by the sweeper's own `markExpired` — and the clock reads `to`
   * and is `ready` again. Billing cycles need nothing: they are derived from the clock's time
   * at every read. A failure gives the clock back at its old time.
   */
  async function advance(
    partnerId: string,
    id: string,
    requested: Date,
    audit?: AuditContext,
  ): Promise<TestClockRow> {
    const current = await get(partnerId, id);
    if (current.status === 'advancing') throw advancing();
    const to = truncateToSecond(requested);
    if (to.getTime() < current.frozen_time.getTime()) {
      throw ERRORS.clockMovedBack(toRfc3339(current.frozen_time));
    }
    const limit = addYears(current.frozen_time, MAX_ADVANCE_YEARS);
    if (to.getTime() > limit.getTime()) {
      throw ERRORS.advanceTooFar(MAX_ADVANCE_YEARS, toRfc3339(limit));
    }
    const now = clock.now();
    const claim = {
      from: current.frozen_time,
      now,
      leaseUntil: new Date(now.getTime() + ADVANCE_LEASE_MS),
    };
    if (!(await clocks.claimAdvance(partnerId, id, claim))) throw advancing();
    try {
      return await db.transaction(async (tx) => {
        // The clock moves first, inside this transaction: what the sweep reads of its
        // enrollments (the webhook events' data) is then at the new time too.
        const moved = await clocks.finishAdvance(id, to, tx);
        for (;;) {
          // Each with its enrollment.expired event, due on the wall clock.
          const expired = await expiry.markExpired(to, SWEEP_BATCH, tx, {
            testClockId: id,
            wallNow: now,
          });
          if (expired.length < SWEEP_BATCH) break;
        }
        await auditLog?.record(tx, audit, {
          action: 'test_clock.advanced',
          objectType: 'test_clock',
          objectId: id,
          changes: {
            frozen_time: { before: toRfc3339(current.frozen_time), after: toRfc3339(moved.frozen_time) },
          },
        });
        return moved;
      });
    } catch (err) {
      await clocks.release(id).catch(() => undefined);
      throw err;
    }
  }

  /**
   * A test account on the clock and a user token for it (`promotions:read promotions:write`),
   * in one transaction: the token copies the account's clock, so everything it does lives
   * at the clock's time. The account has no password: it never signs in on the consent page.
   */
  async function createAccount(
    partnerId: string,
    id: string,
    email: string | undefined,
  ): Promise<ClockAccount> {
    const target = await get(partnerId, id);
    const now = clock.now();
    const address =
      email ??
      `${target.id.toLowerCase().replace(/[^a-z0-9]/g, '')}-${randomId(6)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')}@test-clocks.invalid`;
    return db.transaction(async (tx) => {
      const account = await accounts.insert(
        {
          id: randomUUID(),
          email: address,
          passwordHash: NO_PASSWORD,
          testClockId: target.id,
          createdAt: now,
        },
        tx,
      );
      if (!account) {
        throw ERRORS.emailTaken();
      }
      const token: TokenResponse = await tokenService.issueAccessToken(
        { kind: 'user', partnerId, accountId: account.id, scopes: ['promotions:read', 'promotions:write'] },
        tx,
      );
      return {
        account_id: account.id,
        email: account.email,
        access_token: token.access_token,
        token_type: token.token_type,
        scope: token.scope,
        expires_in: token.expires_in,
      };
    });
  }

  /** Usage at clock time, only on an enrollment of one of this partner's clocks (else 404). */
  async function recordUsage(
    partnerId: string,
    enrollmentId: string,
    input: RecordUsage,
  ): Promise<UsageResult> {
    return usageService.record(enrollmentId, input, { clockPartnerId: partnerId });
  }

  /** Deletes the clock and everything attached to it, in one transaction. */
  async function deleteClock(partnerId: string, id: string): Promise<void> {
    return db.transaction(async (tx) => {
      const locked = await clocks.lock(partnerId, id, tx);
      if (!locked) throw notFound();
      if (isAdvancing(locked, clock.now())) throw advancing();
      await clocks.deleteCascade(id, tx);
    });
  }

  return { create, get, list, listPage, advance, createAccount, recordUsage, delete: deleteClock };
}

export type TestClockService = ReturnType<typeof createTestClockService>;
