// DATABASE_PREPARED_STATEMENTS (issue 20): the hot statements are named prepared statements on
// a direct connection, and unnamed behind a transaction pooler, which cannot keep a statement
// prepared in one transaction's server connection for the next. Either way each stays one
// round trip. Checked inside one transaction, whose server connection a pooler pins, so the
// answer is the same directly and through PgBouncer (the CI leg).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPostgres, queryRows } from '../../src/db/client.js';
import { prepared } from '../../src/db/prepared.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const probe = prepared<{ answer: number }, { n: number }>(
  'probe_prepared_statements',
  sql`select ${sql.placeholder('n')}::int + 1 as answer`,
);

let test: TestDatabase;
const opened: Database[] = [];
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  for (const d of opened) await d.close();
  await test.drop();
});

async function open(preparedStatements: boolean): Promise<Database> {
  const database = await openPostgres({ url: test.url!, poolMax: 1, preparedStatements });
  opened.push(database);
  return database;
}

/** Runs the probe and reads, on the same server connection, which statements it has prepared. */
async function runAndList(database: Database): Promise<{ answer: number; prepared: string[] }> {
  return database.db.transaction(async (tx) => {
    const [row] = await probe(tx, { n: 41 });
    const names = await queryRows<{ name: string }>(
      tx,
      sql`select name from pg_prepared_statements order by name`,
    );
    return { answer: row!.answer, prepared: names.map((r) => r.name) };
  });
}

// The CI leg through PgBouncer's transaction pooling runs the suite with the setting false.
const behindPooler = process.env.DATABASE_PREPARED_STATEMENTS === 'false';

describe('DATABASE_PREPARED_STATEMENTS', () => {
  if (behindPooler) {
    it('true is refused by the transaction pooler, for its statement_timeout startup parameter', async () => {
      const database = await open(true);
      await expect(database.ping()).rejects.toThrow('unsupported startup parameter: statement_timeout');
    });
  } else {
    it('true (the default): the statement is prepared once under its name, with a 10 s statement_timeout', async () => {
      const database = await open(true);
      expect(await runAndList(database)).toEqual({ answer: 42, prepared: ['probe_prepared_statements'] });
      const [row] = await queryRows<{ t: string }>(
        database.db,
        sql`select current_setting('statement_timeout') as t`,
      );
      expect(row!.t).toBe('10s');
    });
  }

  it('false: the same statement runs unnamed, leaving nothing prepared on the server connection', async () => {
    const database = await open(false);
    expect(await runAndList(database)).toEqual({ answer: 42, prepared: [] });
    expect(await runAndList(database)).toEqual({ answer: 42, prepared: [] });
  });

  it('false sends no statement_timeout startup parameter (transaction poolers refuse it)', async () => {
    const [row] = await queryRows<{ t: string }>(
      (await open(false)).db,
      sql`select current_setting('statement_timeout') as t`,
    );
    expect(row!.t).toBe('0');
  });
});
