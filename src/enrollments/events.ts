// The enrollment events of SPEC §8, written to the outbox by the changes that cause them.
import type { Db } from '../db/client.js';
import type { EventType } from '../outbox/event-types.js';
import { type OutboxEvent, outbox } from '../outbox/outbox.js';
import { toPromotionDetail } from '../rules/enrollment-detail.js';
import { toRfc3339 } from '../rules/time.js';
import type { EnrollmentsRepository, EnrollmentView } from './repository.js';

type EnrollmentEventType = Extract<
  EventType,
  | 'enrollment.created'
  | 'enrollment.unenrolled'
  | 'enrollment.expired'
  | 'usage.threshold_reached'
  | 'usage.limit_reached'
>;
/**
 * An enrollment event: `data` is the enrollment as GET shows it at its own time (its test
 * clock's, else `wallNow`), and the event is stamped with that time; its deliveries are due
 * at `wallNow` (webhook timing stays on real time, SPEC §9). Enrollment lifecycle events
 * happen once per enrollment; usage events once per enrollment and cycle (`cycleStart`),
 * which the dedup key makes a database rule.
 */
export function enrollmentEvent(
  type: EnrollmentEventType,
  view: EnrollmentView,
  wallNow: Date,
  cycleStart?: Date,
): OutboxEvent {
  const scope = type.startsWith('usage.') && cycleStart ? `:${toRfc3339(cycleStart)}` : '';
  const at = view.clock_time ?? wallNow;
  return {
    partnerId: view.partner_id,
    type,
    data: { ...toPromotionDetail(view, at) },
    at,
    dueAt: wallNow,
    dedupKey: `${type}:${view.id}${scope}`,
  };
}

/**
 * `enrollment.expired` for enrollments just marked expired, in the marking transaction:
 * the sweeper's batches, and rule 10 (a promotion's end expiring its live enrollments).
 */
export function enqueueExpired(enrollments: Pick<EnrollmentsRepository, 'findViewsByIds'>) {
  return async (tx: Db, enrollmentIds: string[], wallNow: Date): Promise<void> => {
    const views = await enrollments.findViewsByIds(enrollmentIds, wallNow, tx);
    await outbox.enqueueAll(
      tx,
      views.map((v) => enrollmentEvent('enrollment.expired', v, wallNow)),
    );
  };
}
