// CONTRACT §12: what an account's enrollments would sponsor at an instant, in allocation order:
// the same rule (src/rules/allocation.ts) the metering path draws from, read in one round trip.
import type { Clock } from '../clock.js';
import { ERRORS } from '../errors.js';
import { sponsorsInOrder } from '../rules/allocation.js';
import { cycleAt } from '../rules/billing-cycle.js';
import { formatEnrollmentId } from '../rules/enrollment-id.js';
import { toRfc3339, toRfc3339OrNull } from '../rules/time.js';
import type { EntitlementsRepository } from './entitlements-repository.js';

export interface Entitlement {
  account_id: string;
  external_id: string | null;
  at: string;
  sponsored_remaining: number | null;
  enrollments: Array<{
    enrollment_id: string;
    promotion_id: string;
    task_limit_per_month: number | null;
    tasks_used_this_month: number;
    remaining: number | null;
    billing_cycle_start: string;
    billing_cycle_end: string;
    expiration_date: string | null;
  }>;
}

export function createEntitlementService(deps: { clock: Clock; entitlements: EntitlementsRepository }) {
  const { clock, entitlements } = deps;

  async function entitlement(query: {
    accountId?: string;
    externalId?: string;
    at?: Date;
  }): Promise<Entitlement> {
    const found = await entitlements.readEntitlement({
      accountId: query.accountId ?? null,
      externalId: query.accountId === undefined ? (query.externalId ?? null) : null,
      at: query.at ?? null,
      wallNow: clock.now(),
    });
    if (!found) throw ERRORS.accountNotFound();
    const at = new Date(found.at);
    const sponsors = sponsorsInOrder(
      found.enrollments.map((e) => ({
        ...e,
        enrolledAt: new Date(e.enrolledAt),
        unenrolledAt: e.unenrolledAt === null ? null : new Date(e.unenrolledAt),
        expiresAt: e.expiresAt === null ? null : new Date(e.expiresAt),
      })),
      at,
    );
    const enrollments = sponsors.map((s) => {
      const cycle = cycleAt(s.enrolledAt, at);
      const used = s.counters?.find((c) => c.cycleStart === cycle.start.getTime())?.used ?? 0;
      const remaining = s.taskLimitPerMonth === null ? null : Math.max(s.taskLimitPerMonth - used, 0);
      return {
        enrollment_id: formatEnrollmentId(s.promotionId, s.id),
        promotion_id: s.promotionId,
        task_limit_per_month: s.taskLimitPerMonth,
        tasks_used_this_month: used,
        remaining,
        billing_cycle_start: toRfc3339(cycle.start),
        billing_cycle_end: toRfc3339(cycle.end),
        expiration_date: toRfc3339OrNull(s.expiresAt),
      };
    });
    const sponsoredRemaining = enrollments.some((e) => e.remaining === null)
      ? null
      : enrollments.reduce((n, e) => n + (e.remaining ?? 0), 0);
    return {
      account_id: found.account.id,
      external_id: found.account.externalId,
      at: toRfc3339(at),
      sponsored_remaining: sponsoredRemaining,
      enrollments,
    };
  }

  return { entitlement };
}

export type EntitlementService = ReturnType<typeof createEntitlementService>;
