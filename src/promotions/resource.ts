import { toRfc3339OrNull as iso, toRfc3339 } from '../rules/time.js';
import type { PromotionWithCount } from './repository.js';

/** A promotion as the API shows it (the admin API, and the `promotion.ended` webhook's data). */
export const toPromotionResource = (p: PromotionWithCount) => ({
  id: p.id,
  partner_id: p.partnerId,
  name: p.name,
  status: p.status,
  starts_at: iso(p.startsAt),
  ends_at: iso(p.endsAt),
  duration_days: p.durationDays,
  task_limit_per_month: p.taskLimitPerMonth,
  max_enrollments: p.maxEnrollments,
  allow_reenrollment: p.allowReenrollment,
  enrollments_count: p.displayedCount,
  created_at: toRfc3339(p.createdAt),
  updated_at: toRfc3339(p.updatedAt),
});
