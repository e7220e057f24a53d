import type { LogEvent } from '../events/event-log.js';
import type { PromotionWithCount } from './repository.js';
import { toPromotionResource } from './resource.js';

/** `promotion.ended` (CONTRACT §8): `data` is the promotion as the admin API shows it. */
export function promotionEndedEvent(promotion: PromotionWithCount, now: Date): LogEvent {
  return {
    partnerId: promotion.partnerId,
    type: 'promotion.ended',
    data: { ...toPromotionResource(promotion) },
    at: now,
    actor: { type: 'admin', id: null },
    // A promotion may be reactivated and ended again: one event per ending.
    dedupKey: null,
  };
}
