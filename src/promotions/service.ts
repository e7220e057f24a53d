import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { ApiError } from '../errors.js';
import { promotionEndedEvent } from '../webhooks/events.js';
import { outbox } from '../webhooks/outbox.js';
import type { PromotionChanges, PromotionsRepository, PromotionWithCount } from './repository.js';

const notFound = () => new ApiError('promotion_not_found', 'The requested promotion was not found.');

/** The operator's changes to a promotion: status, window and limits (SPEC §6). */
export function createPromotionService(deps: { db: Db; clock: Clock; promotions: PromotionsRepository }) {
  const { db, clock, promotions } = deps;

  return {
    /**
     * One transaction on the locked row: the window is checked against the stored values,
     * and the budget guard (max_enrollments never below the count) is part of the UPDATE.
     */
    async update(id: string, changes: PromotionChanges): Promise<PromotionWithCount> {
      return db.transaction(async (tx) => {
        const current = await promotions.lockById(id, tx);
        if (!current) throw notFound();
        const startsAt = changes.startsAt === undefined ? current.startsAt : changes.startsAt;
        const endsAt = changes.endsAt === undefined ? current.endsAt : changes.endsAt;
        if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) {
          throw new ApiError('invalid_request', 'ends_at must be after starts_at.', {
            source: { pointer: changes.endsAt === undefined ? '/starts_at' : '/ends_at' },
          });
        }
        if (!(await promotions.update(id, changes, clock.now(), tx))) {
          const count = (await promotions.findWithCount(id, tx))?.displayedCount ?? 0;
          throw new ApiError(
            'max_enrollments_below_count',
            `max_enrollments (${changes.maxEnrollments}) is below enrollments_count (${count}).`,
            { source: { pointer: '/max_enrollments' } },
          );
        }
        const updated = await promotions.findWithCount(id, tx);
        if (!updated) throw notFound();
        if (current.status !== 'ended' && updated.status === 'ended')
          await outbox.enqueue(tx, promotionEndedEvent(updated, clock.now()));
        return updated;
      });
    },
  };
}

export type PromotionService = ReturnType<typeof createPromotionService>;
