import { usageNow } from '../promotions/billing-cycle.js';
import { isExpired, toRfc3339 } from '../promotions/expiration.js';
import { formatEnrollmentId } from './enrollment-id.js';
import type { EnrollmentView } from './repository.js';

/** GET /v2/promotions/{enrollment_id}: Zapier's fields, then ours (additive only, SPEC §4). */
export interface PromotionDetail {
  promotion_id: string;
  enrollment_date: string;
  expiration_date: string | null;
  task_limit_per_month: number | null;
  tasks_used_this_month: number;
  status: 'enrolled' | 'expired';
  enrollment_id: string;
  billing_cycle_start: string;
  billing_cycle_end: string;
}

/** The enrollment as GET shows it at `now` (the view's expires_at is already the effective one). */
export function toPromotionDetail(view: EnrollmentView, now: Date): PromotionDetail {
  const usage = usageNow(view, now);
  return {
    promotion_id: view.promotion_id,
    enrollment_date: toRfc3339(view.enrolled_at),
    expiration_date: view.expires_at ? toRfc3339(view.expires_at) : null,
    task_limit_per_month: view.task_limit_per_month,
    tasks_used_this_month: usage.used,
    status: isExpired(view.expires_at, now) ? 'expired' : 'enrolled',
    enrollment_id: formatEnrollmentId(view.promotion_id, view.id),
    billing_cycle_start: toRfc3339(usage.start),
    billing_cycle_end: toRfc3339(usage.end),
  };
}
