import { type AuditContext, type AuditLog, changesBetween } from '../audit/audit-log.js';
import type { PartnersRepository } from '../auth/partners-repository.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { ERRORS } from '../errors.js';
import { eventLog } from '../events/event-log.js';
import { truncateToSecond } from '../rules/time.js';
import { promotionEndedEvent } from './events.js';
import type {
  NewPromotion,
  PromotionChanges,
  PromotionsRepository,
  PromotionWithCount,
} from './repository.js';
import { toPromotionResource } from './resource.js';

const notFound = ERRORS.promotionNotFound;

/** Expires a promotion's live enrollments whose effective expiration has passed; the ids expired. */
export type ExpireEnrollments = (promotionId: string, now: Date, tx: Db) => Promise<string[]>;

/** The last whole second before `now`: a promotion ended now is over for a read at the same instant. */
const lastSecondBefore = (now: Date) => truncateToSecond(new Date(now.getTime() - 1));

/**
 * A new promotion's fields (CONTRACT §6): its id, partner and name, and any of the changeable
 * ones; the absent ones take their defaults.
 */
export type NewPromotionInput = Pick<NewPromotion, 'id' | 'partnerId' | 'name'> &
  Omit<PromotionChanges, 'name'>;

const second = (d: Date | null | undefined) => (d ? truncateToSecond(d) : (d ?? null));

/** The operator's promotions: creation, and changes to status, window and limits (CONTRACT §6). */
export function createPromotionService(deps: {
  db: Db;
  clock: Clock;
  promotions: PromotionsRepository;
  partners: PartnersRepository;
  expireEnrollments: ExpireEnrollments;
  auditLog: AuditLog;
}) {
  const { db, clock, promotions, partners, expireEnrollments, auditLog } = deps;

  /**
   * Creates a promotion of an existing partner (404 partner_not_found, 409 promotion_exists),
   * with its audit entry (CONTRACT §11) in the same transaction.
   */
  async function create(input: NewPromotionInput, audit?: AuditContext): Promise<PromotionWithCount> {
    const now = clock.now();
    return auditLog.write(audit, async (tx) => {
      if (!(await partners.findById(input.partnerId, tx))) {
        throw ERRORS.unknownPartnerId();
      }
      const created = await promotions.insert(
        {
          id: input.id,
          partnerId: input.partnerId,
          name: input.name,
          status: input.status ?? 'active',
          startsAt: second(input.startsAt),
          endsAt: second(input.endsAt),
          durationDays: input.durationDays ?? null,
          taskLimitPerMonth: input.taskLimitPerMonth ?? null,
          maxEnrollments: input.maxEnrollments ?? null,
          allowReenrollment: input.allowReenrollment ?? false,
          createdAt: now,
          updatedAt: now,
        },
        tx,
      );
      if (!created) {
        throw ERRORS.promotionExists(input.id);
      }
      const result = { ...created, displayedCount: 0 };
      return {
        result,
        entry: {
          action: 'promotion.created',
          objectType: 'promotion',
          objectId: created.id,
          changes: changesBetween(null, toPromotionResource(result)),
        },
      };
    });
  }

  /**
   * One transaction on the locked row: the window is checked against the stored values,
   * and the budget guard (max_enrollments never below the count) is part of the UPDATE.
   * CONTRACT §3 rule 10: `status: ended` moves `ends_at` to now when it was later or unset, and
   * enrollments the new end has expired are expired in the same transaction, with their events.
   */
  async function update(
    id: string,
    changes: PromotionChanges,
    audit?: AuditContext,
    outer: Db = db,
  ): Promise<PromotionWithCount> {
    const now = clock.now();
    // Inside a caller's transaction (the bootstrap file, CONTRACT §10) this is a savepoint.
    return outer.transaction(async (tx) => {
      const current = await promotions.lockById(id, tx);
      if (!current) throw notFound();
      const startsAt = changes.startsAt === undefined ? current.startsAt : changes.startsAt;
      let endsAt = changes.endsAt === undefined ? current.endsAt : changes.endsAt;
      if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) {
        throw ERRORS.endsBeforeStart(changes.endsAt === undefined ? 'starts_at' : 'ends_at');
      }
      const end = lastSecondBefore(now);
      const started = !startsAt || startsAt.getTime() < end.getTime();
      if (changes.status === 'ended' && started && (!endsAt || endsAt.getTime() > end.getTime())) {
        endsAt = end;
        changes = { ...changes, endsAt };
      }
      if (!(await promotions.update(id, changes, now, tx))) {
        const count = (await promotions.findWithCount(id, tx))?.displayedCount ?? 0;
        throw ERRORS.maxEnrollmentsBelowCount(changes.maxEnrollments, count);
      }
      if (endsAt && endsAt.getTime() < now.getTime()) await expireEnrollments(id, now, tx);
      const updated = await promotions.findWithCount(id, tx);
      if (!updated) throw notFound();
      if (current.status !== 'ended' && updated.status === 'ended')
        await eventLog.append(tx, promotionEndedEvent(updated, now));
      const before = toPromotionResource({ ...current, displayedCount: updated.displayedCount });
      await auditLog.record(tx, audit, {
        action: 'promotion.updated',
        objectType: 'promotion',
        objectId: id,
        changes: changesBetween(before, toPromotionResource(updated)),
      });
      return updated;
    });
  }

  return { create, update };
}

export type PromotionService = ReturnType<typeof createPromotionService>;
