// The store's own key–value settings (the `meta` table): whether the demo was seeded, the
// server keys. Read and written here, so that no file outside the repositories queries it.
import { eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { meta } from './schema.js';

/** The value under `key`, or undefined. */
export async function findMeta(db: Db, key: string): Promise<string | undefined> {
  const [row] = await db.select().from(meta).where(eq(meta.key, key)).limit(1);
  return row?.value;
}

/** Stores `value` under a new `key` (a key already there is a unique violation). */
export async function insertMeta(db: Db, key: string, value: string): Promise<void> {
  await db.insert(meta).values({ key, value });
}

/** The value under `key`, stored as `make()` by whichever caller (of any instance) asks first. */
export async function findOrInsertMeta(db: Db, key: string, make: () => string): Promise<string> {
  await db.insert(meta).values({ key, value: make() }).onConflictDoNothing();
  return (await findMeta(db, key))!;
}
