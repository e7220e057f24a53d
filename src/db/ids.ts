import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { drawRandom } from '../random.js';

/**
 * Keys for rows that only ever grow at the end (audit events, webhook events): they start with
 * the wall clock's milliseconds, so each insert lands on the rightmost page of its primary-key
 * index (PostgreSQL's fast path: no descent, no page split in the middle, few pages dirtied
 * per checkpoint) instead of a random page, as a random key does. Ids that partners see keep
 * their documented form: an enrollment's is a uuid v4 (CONTRACT §2), an event's `evt_…` (§8).
 */

/** A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. */
export function timeOrderedUuid(ms: number = Date.now()): string {
  const time = ms.toString(16).padStart(12, '0');
  // randomUUID is `xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx`: keep its random bits and variant.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * `evt_` + 24 characters: 12 hex digits of Unix milliseconds (they sort the same in every
 * collation), then 12 random base62 characters (~71 bits). The `webhook-id` of its deliveries.
 */
export function newEventId(ms: number = Date.now()): string {
  const tail = drawRandom(12, (pool, start, end) => {
    let chars = '';
    for (let i = start; i < end; i++) chars += BASE62[pool[i]! % 62];
    return chars;
  });
  return `evt_${ms.toString(16).padStart(12, '0')}${tail}`;
}

/** What an event id may look like (newEventId, eventIdSql, and migrated webhook events). */
export const EVENT_ID_PATTERN = /^evt_[A-Za-z0-9]{1,64}$/;

/**
 * newEventId in SQL, for events a statement writes one per row (a batch of expiries): `evt_` +
 * the database clock's milliseconds as 12 hex digits + 12 random characters (hex, a subset of
 * base62: ~48 bits). Time-ordered like newEventId, so both land on the right edge of the index.
 */
export function eventIdSql(): SQL {
  return sql`('evt_' || lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0')
    || substr(md5(random()::text), 1, 12))`;
}
