/** The usage share (SPEC §8) at which `usage.threshold_reached` fires. */
export const USAGE_THRESHOLD = 0.8;

/** Which usage events a batch that moved the counter from `before` to `after` causes. */
export function usageCrossings(
  before: number,
  after: number,
  limit: number | null,
  rejected: number,
): Array<'usage.threshold_reached' | 'usage.limit_reached'> {
  if (limit === null) return [];
  const out: Array<'usage.threshold_reached' | 'usage.limit_reached'> = [];
  const threshold = Math.ceil(limit * USAGE_THRESHOLD);
  if (limit > 0 && before < threshold && after >= threshold) out.push('usage.threshold_reached');
  if ((before < limit && after >= limit) || rejected > 0) out.push('usage.limit_reached');
  return out;
}
