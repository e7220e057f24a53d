import { eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { meta } from './schema.js';

/** The `meta` table: named values the server makes once and every instance then shares. */
export function createMetaRepository(db: Db) {
  /** The value under `key`, inserted as `make()` by whichever instance asks first. */
  async function valueOrInsert(key: string, make: () => string): Promise<string> {
    await db.insert(meta).values({ key, value: make() }).onConflictDoNothing();
    const [row] = await db.select().from(meta).where(eq(meta.key, key)).limit(1);
    return row!.value;
  }

  return { valueOrInsert };
}

export type MetaRepository = ReturnType<typeof createMetaRepository>;
