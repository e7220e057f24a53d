import type { OutboxEvent } from '../outbox/outbox.js';
import type { PromotionWithCount } from './repository.js';
import { toPromotionResource } from './resource.js';

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
