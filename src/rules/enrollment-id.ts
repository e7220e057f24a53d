// CONTRACT §3: an enrollment's public id is `<promotion_id>:<uuid>`, as on Zapier; in
// TypeScript and, for statements that write the id into an event's data, in SQL.
import { type SQL, sql } from 'drizzle-orm';

/** The enrollment's row key: its uuid and its promotion. */
export interface EnrollmentKey {
  id: string;
  promotionId: string;
}

/**
 * A UUID in its text form, any version, either case: the ids the server makes (partners,
 * accounts, operators, enrollments, cursors' keys). The one copy: check an id with it before a
 * query, so a malformed one answers 404 (or is ignored) instead of failing in the database.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A promotion id: a slug (CONTRACT §3). */
export const PROMOTION_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** `<promotion_id>:<uuid>`. */
export function formatEnrollmentId(promotionId: string, id: string): string {
  return `${promotionId}:${id}`;
}

/** formatEnrollmentId in SQL, over a text and a uuid expression. */
export function enrollmentIdSql(promotionId: SQL, id: SQL): SQL {
  return sql`(${promotionId} || ':' || ${id})`;
}

/** null for anything that cannot be an enrollment id; callers answer 404 so ids leak nothing. */
export function parseEnrollmentId(value: string): EnrollmentKey | null {
  const colon = value.lastIndexOf(':');
  if (colon <= 0) return null;
  const promotionId = value.slice(0, colon);
  const id = value.slice(colon + 1);
  if (!PROMOTION_ID_PATTERN.test(promotionId) || !UUID_PATTERN.test(id)) return null;
  return { promotionId, id: id.toLowerCase() };
}
