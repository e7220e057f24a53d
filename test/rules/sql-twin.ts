// The rules' SQL twins (src/rules/) evaluated on this run's backend, for the property tests
// that hold each equal to its TypeScript reference.
import { type SQL, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { epochMs } from '../../src/db/sql.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/** A fresh database for the file; `value` evaluates a scalar fragment there. */
export function useSqlTwin() {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function value<T>(fragment: SQL): Promise<T> {
    const [row] = await queryRows<{ v: T }>(db!.database.db, sql`select ${fragment} as v`);
    return row!.v;
  }

  return {
    value,
    /** A timestamptz fragment as epoch milliseconds (null stays null). */
    instant: async (fragment: SQL) => value<number | null>(epochMs(fragment)),
    /** A jsonb fragment, parsed (both drivers then agree on the representation). */
    json: async <T>(fragment: SQL) => JSON.parse(await value<string>(sql`(${fragment})::text`)) as T,
  };
}

/** A bound instant (or null) as timestamptz, the same on both drivers. */
export const ts = (d: Date | null): SQL => sql`${d === null ? null : d.toISOString()}::timestamptz`;

/** A bound integer (or null). */
export const int = (n: number | null): SQL => sql`${n}::int`;

/** Instants in 2000–2060, at a millisecond (or, with `seconds`, a whole second). */
export function instant(options: { seconds?: boolean } = {}) {
  return fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2060-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((d) => (options.seconds ? new Date(Math.floor(d.getTime() / 1000) * 1000) : d));
}

/** As many runs on either backend: enough to find a boundary, few enough for CI. */
export const RUNS = { numRuns: 200 };
