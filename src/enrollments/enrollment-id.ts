import type { EnrollmentKey } from './repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const PROMOTION_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** `<promotion_id>:<uuid v4>`, as on Zapier. */
export const formatEnrollmentId = (promotionId: string, id: string): string => `${promotionId}:${id}`;

/** null for anything that cannot be an enrollment id; callers answer 404 so ids leak nothing. */
export function parseEnrollmentId(value: string): EnrollmentKey | null {
  const colon = value.lastIndexOf(':');
  if (colon <= 0) return null;
  const promotionId = value.slice(0, colon);
  const id = value.slice(colon + 1);
  if (!PROMOTION_ID_PATTERN.test(promotionId) || !UUID.test(id)) return null;
  return { promotionId, id: id.toLowerCase() };
}
