import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/token-service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { transactionResolvingDoubt } from '../db/in-doubt.js';
import { ApiError } from '../errors.js';
import { computeExpiration, isExpired, toRfc3339, truncateToSecond } from '../promotions/expiration.js';
import type { PromotionsRepository } from '../promotions/repository.js';
import { whyNotEnrollable } from '../promotions/rules.js';
import { cycleAt } from '../usage/billing-cycle.js';
import { enrollmentEvent } from '../webhooks/events.js';
import { outbox } from '../webhooks/outbox.js';
import { formatEnrollmentId, parseEnrollmentId } from './enrollment-id.js';
import type { EnrollmentsRepository, EnrollmentView, PrefetchedView } from './repository.js';

export interface PromotionDetail {
  promotion_id: string;
  enrollment_date: string;
  expiration_date: string | null;
  task_limit_per_month: number | null;
  tasks_used_this_month: number;
  status: 'enrolled' | 'expired';
  enrollment_id: string;
  billing_cycle_start: string;
  billing_cycle_end: string;
}

/** Usage of the cycle containing `now`; counters of older cycles do not count. */
export function usageNow(view: EnrollmentView, now: Date): { used: number; start: Date; end: Date } {
  const cycle = cycleAt(view.enrolled_at, now);
  const used =
    view.usage_cycle_start && view.usage_cycle_start.getTime() === cycle.start.getTime()
      ? (view.usage_used ?? 0)
      : 0;
  return { used, start: cycle.start, end: cycle.end };
}

export function toPromotionDetail(view: EnrollmentView, now: Date): PromotionDetail {
  const usage = usageNow(view, now);
  return {
    promotion_id: view.promotion_id,
    enrollment_date: toRfc3339(view.enrolled_at),
    expiration_date: view.expires_at ? toRfc3339(view.expires_at) : null,
    task_limit_per_month: view.task_limit_per_month,
    tasks_used_this_month: usage.used,
    status: isExpired(view.expires_at, now) ? 'expired' : 'enrolled',
    enrollment_id: formatEnrollmentId(view.promotion_id, view.id),
    billing_cycle_start: toRfc3339(usage.start),
    billing_cycle_end: toRfc3339(usage.end),
  };
}

const notFound = () => new ApiError('enrollment_not_found', 'The requested enrollment was not found.');

export function createEnrollmentService(deps: {
  db: Db;
  clock: Clock;
  promotions: PromotionsRepository;
  enrollments: EnrollmentsRepository;
}) {
  const { db, clock, promotions, enrollments } = deps;

  return {
    /** SPEC §3 rules 1 and 4–7, in one transaction whose every guard is a database constraint. */
    async enroll(
      principal: Principal,
      promotionId: string,
      options: {
        /** Runs last inside the enrollment's transaction (the Idempotency-Key record is stored with it). */
        beforeCommit?: (tx: Db, enrollmentId: string) => Promise<void>;
      } = {},
    ): Promise<{ enrollmentId: string }> {
      const accountId = principal.accountId;
      if (!accountId) throw new ApiError('permission_denied', 'Enrolling needs a user access token.');
      const promotion = await promotions.findById(promotionId);
      // Another partner's promotion answers exactly like a missing one (rule 7).
      if (!promotion || promotion.partnerId !== principal.partnerId) {
        throw new ApiError(
          'promotion_not_found',
          'The requested promotion was not found. The specified promotion_id may be invalid.',
          { source: { pointer: '/promotion_id' } },
        );
      }
      const now = clock.now();
      const reason = whyNotEnrollable(promotion, now);
      if (reason) throw new ApiError('promotion_not_active', reason);

      const enrolledAt = truncateToSecond(now);
      const expiresAt = computeExpiration(enrolledAt, promotion.durationDays, promotion.endsAt);
      const id = randomUUID();
      await transactionResolvingDoubt(
        db,
        async (tx) => {
          if (promotion.allowReenrollment)
            await enrollments.retireDeadCurrent(promotion.id, accountId, now, tx);
          const inserted = await enrollments.insertCurrent(
            {
              id,
              promotionId: promotion.id,
              accountId,
              partnerId: principal.partnerId,
              enrolledAt,
              expiresAt,
              createdAt: now,
            },
            tx,
          );
          if (!inserted) {
            throw new ApiError(
              'already_enrolled',
              'The provided account is already enrolled in the specified promotion.',
            );
          }
          // Only budgeted promotions touch the promotion row, so unbudgeted ones never queue on it.
          if (promotion.maxEnrollments !== null && !(await promotions.takeSeat(promotion.id, tx))) {
            throw new ApiError(
              'promotion_full',
              'The promotion has reached its maximum number of enrollments.',
            );
          }
          await enrollments.insertEvent(
            {
              enrollmentId: id,
              type: 'enrolled',
              actorType: 'partner',
              actorId: principal.partnerId,
              at: now,
            },
            tx,
          );
          // SPEC §8: the webhook event commits (or rolls back) with the enrollment; data as GET shows it.
          const view = {
            id,
            promotion_id: promotion.id,
            account_id: accountId,
            partner_id: principal.partnerId,
            enrolled_at: enrolledAt,
            expires_at: expiresAt,
            unenrolled_at: null,
            task_limit_per_month: promotion.taskLimitPerMonth,
            usage_cycle_start: null,
            usage_used: null,
          };
          await outbox.enqueue(tx, enrollmentEvent('enrollment.created', view, now));
          await options.beforeCommit?.(tx, formatEnrollmentId(promotion.id, id));
        },
        () => enrollments.existsById(id),
      );
      return { enrollmentId: formatEnrollmentId(promotion.id, id) };
    },

    /** `prefetched`: the view already read with the token (one round trip, see the GET route). */
    async get(
      principal: Principal,
      enrollmentId: string,
      prefetched?: PrefetchedView,
    ): Promise<PromotionDetail> {
      const key = parseEnrollmentId(enrollmentId);
      if (!key) throw notFound();
      if (prefetched) {
        if (!prefetched.view) throw notFound();
        return toPromotionDetail(prefetched.view, prefetched.now);
      }
      const now = clock.now();
      const view = await enrollments.findView(
        key,
        { partnerId: principal.partnerId, accountId: principal.kind === 'user' ? principal.accountId : null },
        now,
      );
      if (!view) throw notFound();
      return toPromotionDetail(view, now);
    },

    async unenroll(principal: Principal, enrollmentId: string): Promise<void> {
      const key = parseEnrollmentId(enrollmentId);
      if (!key) throw notFound();
      const now = clock.now();
      await transactionResolvingDoubt(
        db,
        async (tx) => {
          if (!(await enrollments.markUnenrolled(key, principal.partnerId, now, tx))) throw notFound();
          await enrollments.insertEvent(
            {
              enrollmentId: key.id,
              type: 'unenrolled',
              actorType: 'partner',
              actorId: principal.partnerId,
              at: now,
            },
            tx,
          );
          const view = await enrollments.findView(
            key,
            { partnerId: principal.partnerId, includeUnenrolled: true },
            now,
            tx,
          );
          if (view) await outbox.enqueue(tx, enrollmentEvent('enrollment.unenrolled', view, now));
        },
        () => enrollments.isUnenrolled(key.id),
      );
    },
  };
}

export type EnrollmentService = ReturnType<typeof createEnrollmentService>;
