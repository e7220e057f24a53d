import type { PromotionRow } from './repository.js';

type Window = Pick<PromotionRow, 'status' | 'startsAt' | 'endsAt'>;

/** SPEC §3 rule 6: null when enrolling is allowed now, else why not (for the 409 detail). */
export function whyNotEnrollable(promotion: Window, now: Date): string | null {
  if (promotion.status === 'paused') return 'The promotion is paused.';
  if (promotion.status === 'ended') return 'The promotion has ended.';
  if (promotion.startsAt && now < promotion.startsAt) {
    return `The promotion has not started yet; enrollment opens at ${promotion.startsAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}.`;
  }
  if (promotion.endsAt && now >= promotion.endsAt) return 'The promotion has ended.';
  return null;
}
