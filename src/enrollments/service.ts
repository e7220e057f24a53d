import { randomUUID } from 'node:crypto';
import { authorize, type BearerRequirement, notAuthenticated, provenPrincipal } from '../auth/authorize.js';
import { type Principal, parseOpaque, type TokenService } from '../auth/token-service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { sqlState } from '../db/errors.js';
import { newEventId } from '../db/ids.js';
import { statementResolvingDoubt, transactionResolvingDoubt } from '../db/in-doubt.js';
import { ERRORS, isApiError } from '../errors.js';
import { cycleStart } from '../rules/billing-cycle.js';
import { type PromotionDetail, toPromotionDetail } from '../rules/enrollment-detail.js';
import { formatEnrollmentId, parseEnrollmentId } from '../rules/enrollment-id.js';
import { whyNotEnrollable } from '../rules/promotion-window.js';
import { truncateToSecond } from '../rules/time.js';
import type { Idempotency, StoredResponse } from './idempotency.js';
import type { EnrollmentsRepository } from './repository.js';

export type { PromotionDetail } from '../rules/enrollment-detail.js';

const notFound = ERRORS.enrollmentNotFound;
/** Matches no enrollment: a malformed id still costs the token's one round trip, never a second. */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const UNIQUE_VIOLATION = '23505';

/** The 201 of POST /v2/promotions, as sent and as stored for an Idempotency-Key replay. */
export const createdResponse = (enrollmentId: string): StoredResponse => ({
  status: 201,
  body: JSON.stringify({ enrollment_id: enrollmentId }),
  headers: { location: `/v2/promotions/${enrollmentId}` },
});

export function createEnrollmentService(deps: {
  db: Db;
  clock: Clock;
  enrollments: EnrollmentsRepository;
  tokens: TokenService;
  idempotency: Idempotency;
}) {
  const { db, clock, enrollments, tokens, idempotency } = deps;

  /**
   * CONTRACT §3 rules 1 and 4–7 in the one guarded statement of EnrollmentsRepository.enroll;
   * here only the answer of the guard that refused.
   */
  async function insertEnrollment(
    principal: Principal,
    promotionId: string,
    id: string,
    tx: Db = db,
  ): Promise<string> {
    const accountId = principal.accountId;
    if (!accountId) throw ERRORS.enrollNeedsUserToken();
    // CONTRACT §9: a clock account's request lives at its clock's time, read with its token.
    const wallNow = clock.now();
    const now = principal.clockTime ?? wallNow;
    const enrolledAt = truncateToSecond(now);
    let outcome: Awaited<ReturnType<EnrollmentsRepository['enroll']>>;
    try {
      outcome = await enrollments.enroll(
        {
          id,
          promotionId,
          partnerId: principal.partnerId,
          accountId,
          now,
          wallNow,
          enrolledAt,
          cycleEnd: cycleStart(enrolledAt, 1),
          eventId: newEventId(),
          testClockId: principal.testClockId,
        },
        tx,
      );
    } catch (err) {
      if (sqlState(err) !== UNIQUE_VIOLATION) throw err;
      throw ERRORS.alreadyEnrolled();
    }
    // Another partner's promotion answers exactly like a missing one (rule 7).
    if (outcome.status === null) throw ERRORS.unknownPromotionId();
    if (outcome.inserted === 0) {
      const reason = whyNotEnrollable(
        {
          status: outcome.status,
          startsAt: outcome.starts_at === null ? null : new Date(outcome.starts_at),
          endsAt: outcome.ends_at === null ? null : new Date(outcome.ends_at),
        },
        now,
      );
      if (reason) throw ERRORS.promotionNotActive(reason);
      throw ERRORS.promotionFull();
    }
    return formatEnrollmentId(promotionId, id);
  }

  /**
   * POST /v2/promotions. Without an Idempotency-Key: one statement, its outcome settled by
   * asking the database when the connection drops mid-way. With one: the claimed key's
   * response is stored in the enrollment's own transaction, so a durable enrollment always
   * has its replay (CONTRACT §4).
   */
  async function enroll(
    principal: Principal,
    promotionId: string,
    options: { idempotency?: { key: string; requestHash: string } } = {},
  ): Promise<StoredResponse & { replayed: boolean }> {
    const id = randomUUID();
    const landed = async () =>
      (await enrollments.existsById(id)) ? formatEnrollmentId(promotionId, id) : null;
    const once = options.idempotency;
    if (!once) {
      const enrollmentId = await explainingConflict(principal, promotionId, () =>
        statementResolvingDoubt(() => insertEnrollment(principal, promotionId, id), landed),
      );
      return { ...createdResponse(enrollmentId), replayed: false };
    }
    return idempotency.run({ partnerId: principal.partnerId, key: once.key }, once.requestHash, (claim) =>
      explainingConflict(principal, promotionId, () =>
        transactionResolvingDoubt(
          db,
          async (tx) => {
            const response = createdResponse(await insertEnrollment(principal, promotionId, id, tx));
            await idempotency.storeResponse(claim, response, tx);
            return response;
          },
          async () => (await landed()) !== null,
        ),
      ),
    );
  }

  /**
   * CONTRACT §3 rule 4: a 409 already_enrolled whose current enrollment is over was a refused
   * re-enrollment, and its detail says so. Read after the statement (or transaction) ended,
   * only on that refusal, so the enrollment's own path costs nothing more.
   */
  async function explainingConflict<T>(
    principal: Principal,
    promotionId: string,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!isApiError(err) || err.code !== 'already_enrolled' || !principal.accountId) throw err;
      const now = principal.clockTime ?? clock.now();
      const ended = await enrollments
        .currentEnrollmentEnded(promotionId, principal.accountId, now)
        .catch(() => false);
      throw ended ? ERRORS.alreadyEnrolled(true) : err;
    }
  }

  /**
   * GET in one round trip: the access token row and the enrollment as that token may see it
   * (its partner's; for a user token, its account's) come back from one query, whose SQL
   * holds the visibility rule. Then the token is checked and authorized; `detail` is null
   * when nothing visible has this id (404).
   */
  async function readWithToken(
    token: string,
    enrollmentId: string,
    requirement: BearerRequirement,
  ): Promise<{ principal: Principal; detail: PromotionDetail | null }> {
    const parsed = parseOpaque(token, 'at');
    if (!parsed) throw notAuthenticated('malformed');
    const key = parseEnrollmentId(enrollmentId);
    const now = clock.now();
    const { token: row, view } = await enrollments.findTokenWithView(
      parsed.id,
      key ?? { id: NIL_UUID, promotionId: '' },
      now,
    );
    const principal = authorize(provenPrincipal(tokens.checkRow(parsed, row)), requirement);
    // An enrollment on a test clock is shown at its clock's time (CONTRACT §9).
    return { principal, detail: view ? toPromotionDetail(view, view.clock_time ?? now) : null };
  }

  /**
   * DELETE (rule 8) in one statement: an app token unenrolls any of its partner's
   * enrollments, a user token only its own account's (another's answers 404).
   */
  async function unenroll(principal: Principal, enrollmentId: string): Promise<void> {
    const key = parseEnrollmentId(enrollmentId);
    if (!key) throw notFound();
    const scope = {
      partnerId: principal.partnerId,
      accountId: principal.kind === 'user' ? principal.accountId : null,
    };
    const now = clock.now();
    const done = await statementResolvingDoubt(
      () => enrollments.unenroll(key, scope, now, newEventId()),
      async () => ((await enrollments.isUnenrolled(key.id)) ? true : null),
    );
    if (!done) throw notFound();
  }

  return { enroll, readWithToken, unenroll };
}

export type EnrollmentService = ReturnType<typeof createEnrollmentService>;
