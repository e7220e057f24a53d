import { usageNow } from '../rules/billing-cycle.js';
import { adminEnrollmentStatus } from '../rules/enrollment-detail.js';
import { formatEnrollmentId } from '../rules/enrollment-id.js';
import { toRfc3339OrNull as iso, toRfc3339 } from '../rules/time.js';
import type { AuditTrailRow } from './audit-repository.js';
import type { EnrollmentView } from './views.js';

/** An enrollment as the operator sees it: unenrolled ones too, with the current cycle's usage. */
export function toAdminEnrollmentResource(view: EnrollmentView, wallNow: Date) {
  // An enrollment on a test clock is shown at its clock's time (CONTRACT §9).
  const now = view.clock_time ?? wallNow;
  const usage = usageNow(view, now);
  return {
    enrollment_id: formatEnrollmentId(view.promotion_id, view.id),
    promotion_id: view.promotion_id,
    account_id: view.account_id,
    partner_id: view.partner_id,
    status: adminEnrollmentStatus({ unenrolledAt: view.unenrolled_at, expiresAt: view.expires_at }, now),
    enrollment_date: toRfc3339(view.enrolled_at),
    expiration_date: iso(view.expires_at),
    unenrolled_at: iso(view.unenrolled_at),
    task_limit_per_month: view.task_limit_per_month,
    tasks_used_this_month: usage.used,
    billing_cycle_start: toRfc3339(usage.start),
    billing_cycle_end: toRfc3339(usage.end),
  };
}

/** An entry of an enrollment's audit trail as the admin API and the console show it. */
export const toAuditTrailEntry = (e: AuditTrailRow) => ({
  id: e.id,
  type: e.type,
  actor_type: e.actor_type,
  actor_id: e.actor_id,
  data: e.data,
  created_at: toRfc3339(new Date(e.created_at)),
});
