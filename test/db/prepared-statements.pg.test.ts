// DATABASE_PREPARED_STATEMENTS (issue 20): the hot statements are named prepared statements on
// a direct connection, and unnamed behind a transaction pooler, which cannot keep a statement
// prepared in one transaction's server connection for the next. Either way each stays one
// round trip. Checked inside one transaction, whose server connection a pooler pins, so the
// answer is the same directly and through PgBouncer (the CI leg).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrateDatabase, openPostgres, queryRows } from '../../src/db/client.js';
import { prepared } from '../../src/db/prepared.js';
import { type StatementFunctionMap, unnamedStatements } from '../../src/db/statement-functions.js';
import { bearer, createTestApp } from '../helpers/app.js';
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
    it('true (the default): the statement is prepared once under its name, with a 5 s statement_timeout', async () => {
      const database = await open(true);
      expect(await runAndList(database)).toEqual({ answer: 42, prepared: ['probe_prepared_statements'] });
      const [row] = await queryRows<{ t: string }>(
        database.db,
        sql`select current_setting('statement_timeout') as t`,
      );
      expect(row!.t).toBe('5s');
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

describe('behind a transaction pooler, GET runs as a PL/pgSQL function of its statement', () => {
  it('sends `select fn($1, …)` for a statement that has one, its rows unwrapped; others go unnamed as they are', async () => {
    const sent: unknown[][] = [];
    const client: { query: (...args: unknown[]) => unknown } = {
      query: async (...args: unknown[]) => {
        sent.push(args);
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
        return { rows: text.startsWith('select fn_x') ? [{ r: { a: 1 } }, { r: { a: 2 } }] : [{ b: 3 }] };
      },
    };
    const functions: StatementFunctionMap = new Map([['with_fn', { fn: 'fn_x', arity: 3 }]]);
    unnamedStatements(client as never, functions);
    const q = client.query as (...args: unknown[]) => Promise<{ rows: unknown[] }>;

    expect((await q({ name: 'with_fn', text: 'select long statement', types: 't' }, [1, 2, 3])).rows).toEqual(
      [{ a: 1 }, { a: 2 }],
    );
    expect((await q({ name: 'other', text: 'select other' }, [4])).rows).toEqual([{ b: 3 }]);
    expect((await q('select plain')).rows).toEqual([{ b: 3 }]);
    // As pg.Pool#query calls it: with a callback.
    const viaCallback = await new Promise((resolve, reject) => {
      client.query = async (...args: unknown[]) => {
        sent.push(args.slice(0, -1));
        (args[args.length - 1] as (err: null, res: unknown) => void)(null, { rows: [{ r: { c: 5 } }] });
      };
      unnamedStatements(client as never, functions);
      (client.query as (...args: unknown[]) => void)(
        { name: 'with_fn', text: 'select long' },
        [7, 8, 9],
        (err: Error | null, res: { rows: unknown[] }) => (err ? reject(err) : resolve(res.rows)),
      );
    });
    expect(viaCallback).toEqual([{ c: 5 }]);
    expect(sent).toEqual([
      [{ text: 'select fn_x($1, $2, $3) as r', types: 't' }, [1, 2, 3]],
      [{ text: 'select other' }, [4]],
      ['select plain'],
      [{ text: 'select fn_x($1, $2, $3) as r' }, [7, 8, 9]],
    ]);
  });

  it('is created with the migrations, typed as PostgreSQL infers the statement, and answers GET exactly', async () => {
    const database = await open(false);
    await migrateDatabase(database, test.url!);
    const installed = database.statementFunctions!.get('enrollment_find_with_token');
    expect(installed?.fn).toMatch(/^promotions_stmt_enrollment_find_with_token_[0-9a-f]{12}$/);
    expect(installed?.arity).toBe(4);
    const procs = await queryRows<{ proname: string; args: string; volatile: string }>(
      database.db,
      sql`select proname, pg_get_function_identity_arguments(oid) as args, provolatile as volatile
          from pg_proc where proname like 'promotions_stmt_%' order by proname`,
    );
    const fn = (name: string) => database.statementFunctions!.get(name)!.fn;
    const byName = (rows: typeof procs) => [...rows].sort((a, b) => (a.proname < b.proname ? -1 : 1));
    expect(byName(procs)).toEqual(
      byName([
        // GET's read, alone and coalesced (src/enrollments/token-view-batch.ts).
        { proname: installed!.fn, args: 'timestamp with time zone, uuid, text, text', volatile: 's' },
        {
          proname: fn('enrollment_find_many_with_token'),
          args: 'text[], uuid[], text[], timestamp with time zone[]',
          volatile: 's',
        },
        // Bearer verification coalesced (src/auth/token-batch.ts); alone it is a builder query.
        { proname: fn('access_token_find_many'), args: 'text[]', volatile: 's' },
        // CONTRACT §12's reads: a batch's read, a locked attempt's ids, entitlements by either id,
        // alone and coalesced (src/usage/entitlements-repository.ts).
        { proname: fn('usage_batch_find_context'), args: 'uuid[], text[], text[], bigint', volatile: 's' },
        { proname: fn('usage_event_find_by_ids'), args: 'text[]', volatile: 's' },
        { proname: fn('usage_entitlement_find_by_external_id'), args: 'bigint, bigint, text', volatile: 's' },
        { proname: fn('usage_entitlement_find_by_id'), args: 'bigint, bigint, text', volatile: 's' },
        {
          proname: fn('usage_entitlement_find_many_by_external_id'),
          args: 'text[], bigint[], bigint[]',
          volatile: 's',
        },
        {
          proname: fn('usage_entitlement_find_many_by_id'),
          args: 'text[], bigint[], bigint[]',
          volatile: 's',
        },
      ]),
    );

    // Starting again finds the same function: nothing new is created.
    await migrateDatabase(database, test.url!);
    expect(database.statementFunctions!.get('enrollment_find_with_token')).toEqual(installed);
    const again = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from pg_proc where proname like 'promotions_stmt_%'`,
    );
    expect(again).toEqual([{ n: 9 }]);

    const ctx = await createTestApp({ database: { ...test, database } });
    try {
      const partner = await ctx.fixtures.partner();
      const account = await ctx.fixtures.account();
      const promotion = await ctx.fixtures.promotion(partner.id, { durationDays: 90, taskLimitPerMonth: 5 });
      const token = await ctx.fixtures.userToken(partner.id, account.id);
      const created = await ctx.app.inject({
        method: 'POST',
        url: '/v2/promotions',
        headers: bearer(token),
        payload: { promotion_id: promotion },
      });
      expect(created.statusCode).toBe(201);
      const { enrollment_id } = created.json();
      for (let i = 0; i < 7; i++) {
        // Past PostgreSQL's five custom plans, onto the function's cached generic one.
        const res = await ctx.app.inject({
          method: 'GET',
          url: `/v2/promotions/${enrollment_id}`,
          headers: bearer(token),
        });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({
          promotion_id: promotion,
          enrollment_date: '2026-04-28T10:00:00Z',
          expiration_date: '2026-07-26T23:59:59Z',
          task_limit_per_month: 5,
          tasks_used_this_month: 0,
          status: 'enrolled',
          enrollment_id,
          billing_cycle_start: '2026-04-28T10:00:00Z',
          billing_cycle_end: '2026-05-28T10:00:00Z',
        });
      }
      const other = await ctx.fixtures.userToken(partner.id, (await ctx.fixtures.account()).id);
      const refused = await ctx.app.inject({
        method: 'GET',
        url: `/v2/promotions/${enrollment_id}`,
        headers: bearer(other),
      });
      expect(refused.statusCode).toBe(404);
      // GET answers what the function answers: marked, the function shows through.
      const [definition] = await queryRows<{ def: string }>(
        test.database.db,
        sql`select pg_get_functiondef(${installed!.fn}::regproc) as def`,
      );
      const marked = definition!.def.replace(
        'row_to_json(q)',
        `(row_to_json(q)::jsonb || '{"task_limit_per_month": 999}')::json`,
      );
      expect(marked).not.toBe(definition!.def);
      await queryRows(test.database.db, sql.raw(marked));
      const shown = await ctx.app.inject({
        method: 'GET',
        url: `/v2/promotions/${enrollment_id}`,
        headers: bearer(token),
      });
      expect(shown.json().task_limit_per_month).toBe(999);
    } finally {
      await ctx.app.close();
    }
  });
});
