// CONTRACT §3 rule 6: enrolling is allowed only while the promotion is `active` and now is in
// [starts_at, ends_at). The TypeScript reference says why not (the 409's detail); the SQL
// fragment is the guard of the enrollment statement. test/rules/promotion-window.test.ts
// holds them equal.
import { type SQL, sql } from 'drizzle-orm';
import { toRfc3339 } from './time.js';

export type PromotionStatus = 'active' | 'paused' | 'ended';

export interface PromotionWindow {
  status: PromotionStatus;
  startsAt: Date | null;
  endsAt: Date | null;
}

/** null when enrolling is allowed at `now`, else why not. */
export function whyNotEnrollable(promotion: PromotionWindow, now: Date): string | null {
  if (promotion.status === 'paused') return 'The promotion is paused.';
  if (promotion.status === 'ended') return 'The promotion has ended.';
  if (promotion.startsAt && now < promotion.startsAt) {
    return `The promotion has not started yet; enrollment opens at ${toRfc3339(promotion.startsAt)}.`;
  }
  if (promotion.endsAt && now >= promotion.endsAt) return 'The promotion has ended.';
  return null;
}

/** Whether enrolling is allowed at `now`, in SQL over the promotion's columns. */
export function enrollableSql(promotion: { status: SQL; startsAt: SQL; endsAt: SQL }, now: SQL): SQL {
  return sql`(${promotion.status} = 'active'
    and (${promotion.startsAt} is null or ${promotion.startsAt} <= ${now})
    and (${promotion.endsAt} is null or ${now} < ${promotion.endsAt}))`;
}
