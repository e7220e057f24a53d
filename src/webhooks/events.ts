// The event payloads of SPEC §8, built by the features that cause them.
import { toPromotionResource } from '../admin/resources.js';
import type { Db } from '../db/client.js';
import type { EnrollmentsRepository, EnrollmentView } from '../enrollments/repository.js';
import { toPromotionDetail } from '../enrollments/service.js';
import { toRfc3339 } from '../promotions/expiration.js';
import type { PromotionWithCount } from '../promotions/repository.js';
import { type OutboxEvent, outbox } from './outbox.js';

type EnrollmentEventType =
  | 'enrollment.created'
  | 'enrollment.unenrolled'
  | 'enrollment.expired'
  | 'usage.threshold_reached'
  | 'usage.limit_reached';

/**
 * An enrollment event: `data` is the enrollment as GET shows it at `now`. Enrollment
 * lifecycle events happen once per enrollment; usage events once per enrollment and cycle
 * (`cycleStart`), which the dedup key makes a database rule.
 */
export function enrollmentEvent(
  type: EnrollmentEventType,
  view: EnrollmentView,
  now: Date,
  cycleStart?: Date,
): OutboxEvent {
  const scope = type.startsWith('usage.') && cycleStart ? `:${toRfc3339(cycleStart)}` : '';
  return {
    partnerId: view.partner_id,
    type,
    data: { ...toPromotionDetail(view, now) },
    at: now,
    dedupKey: `${type}:${view.id}${scope}`,
  };
}

/** `promotion.ended`: `data` is the promotion as the admin API shows it. */
export function promotionEndedEvent(promotion: PromotionWithCount, now: Date): OutboxEvent {
  return {
    partnerId: promotion.partnerId,
    type: 'promotion.ended',
    data: { ...toPromotionResource(promotion) },
    at: now,
    // A promotion may be reactivated and ended again: one event per ending.
    dedupKey: null,
  };
}

/** The usage share (SPEC §8) at which `usage.threshold_reached` fires. */
export const USAGE_THRESHOLD = 0.8;

/** Which usage events a batch that moved the counter from `before` to `after` causes. */
export function usageCrossings(
  before: number,
  after: number,
  limit: number | null,
  rejected: number,
): Array<'usage.threshold_reached' | 'usage.limit_reached'> {
  if (limit === null) return [];
  const out: Array<'usage.threshold_reached' | 'usage.limit_reached'> = [];
  const threshold = Math.ceil(limit * USAGE_THRESHOLD);
  if (limit > 0 && before < threshold && after >= threshold) out.push('usage.threshold_reached');
  if ((before < limit && after >= limit) || rejected > 0) out.push('usage.limit_reached');
  return out;
}

/**
 * `enrollment.expired` for enrollments just marked expired, in the marking transaction:
 * the sweeper's batches, and rule 10 (a promotion's end expiring its live enrollments).
 */
export function enqueueExpired(enrollments: Pick<EnrollmentsRepository, 'findViewsByIds'>) {
  return async (tx: Db, enrollmentIds: string[], now: Date): Promise<void> => {
    const views = await enrollments.findViewsByIds(enrollmentIds, now, tx);
    await outbox.enqueueAll(
      tx,
      views.map((v) => enrollmentEvent('enrollment.expired', v, now)),
    );
  };
}
