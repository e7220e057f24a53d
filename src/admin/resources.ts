import type { AccountRow } from '../auth/accounts-repository.js';
import { formatEnrollmentId } from '../enrollments/enrollment-id.js';
import type { EnrollmentView, EventRow } from '../enrollments/repository.js';
import { usageNow } from '../promotions/billing-cycle.js';
import { isExpired, toRfc3339OrNull as iso, toRfc3339 } from '../promotions/expiration.js';

export const toAccountResource = (a: AccountRow) => ({
  id: a.id,
  email: a.email,
  created_at: toRfc3339(a.createdAt),
});

/** An enrollment as the operator sees it: unenrolled ones too, with the current cycle's usage. */
export function toAdminEnrollmentResource(view: EnrollmentView, wallNow: Date) {
  // An enrollment on a test clock is shown at its clock's time (SPEC §9).
  const now = view.clock_time ?? wallNow;
  const usage = usageNow(view, now);
  return {
    enrollment_id: formatEnrollmentId(view.promotion_id, view.id),
    promotion_id: view.promotion_id,
    account_id: view.account_id,
    partner_id: view.partner_id,
    status: view.unenrolled_at
      ? ('unenrolled' as const)
      : isExpired(view.expires_at, now)
        ? ('expired' as const)
        : ('enrolled' as const),
    enrollment_date: toRfc3339(view.enrolled_at),
    expiration_date: iso(view.expires_at),
    unenrolled_at: iso(view.unenrolled_at),
    task_limit_per_month: view.task_limit_per_month,
    tasks_used_this_month: usage.used,
    billing_cycle_start: toRfc3339(usage.start),
    billing_cycle_end: toRfc3339(usage.end),
  };
}

export const toEventResource = (e: EventRow) => ({
  id: e.id,
  type: e.type,
  actor_type: e.actor_type,
  actor_id: e.actor_id,
  data: e.data,
  created_at: toRfc3339(new Date(e.created_at)),
});

export { toPartnerResource } from '../auth/partner-service.js';
export { toPromotionResource } from '../promotions/resource.js';
