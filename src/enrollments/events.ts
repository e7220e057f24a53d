// Enrollment events (CONTRACT §8) written in TypeScript, in the transaction of the change that
// causes them: usage's threshold and limit. The enrollment, unenrollment and expiry statements
// write theirs in SQL, in the same statement as the change (src/events/event-log.ts eventCtes).

import type { LogEvent } from '../events/event-log.js';
import type { ActorType, EventType } from '../events/event-types.js';
import { toPromotionDetail } from '../rules/enrollment-detail.js';
import { toRfc3339 } from '../rules/time.js';
import type { EnrollmentView } from './views.js';

type EnrollmentEventType = Extract<EventType, 'usage.threshold_reached' | 'usage.limit_reached'>;

/**
 * A usage event: `data` is the enrollment as GET shows it at its own time (its test clock's,
 * else `wallNow`), and the event is stamped with that time; its deliveries are due at `wallNow`
 * (webhook timing stays on real time, CONTRACT §9). Once per enrollment and cycle
 * (`cycleStart`), which the dedup key makes a database rule.
 */
export function enrollmentEvent(
  type: EnrollmentEventType,
  view: EnrollmentView,
  wallNow: Date,
  cycleStart: Date,
  actor: { type: ActorType; id: string | null },
): LogEvent {
  const at = view.clock_time ?? wallNow;
  return {
    partnerId: view.partner_id,
    type,
    data: { ...toPromotionDetail(view, at) },
    at,
    recordedAt: wallNow,
    enrollmentId: view.id,
    actor,
    dedupKey: `${type}:${view.id}:${toRfc3339(cycleStart)}`,
  };
}
