// Behind a transaction pooler (DATABASE_PREPARED_STATEMENTS=false) nothing stays prepared, so
// PostgreSQL would parse and plan every statement on every call: for GET's token-and-view
// statement ~0.2 ms of planning against ~0.05 ms of execution. Its read-only hot statements
// (`prepared(…, { asFunction: true })`) run instead as PL/pgSQL functions of the very same
// text, created at start-up; PL/pgSQL keeps a function's plans per server connection, and a
// pooler's server connections live on across transactions. The client then sends a short
// `select fn($1, …)` instead of the statement.
import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';

/** A read-only statement that runs as a server-side function behind a transaction pooler. */
export interface StatementFunction {
  name: string;
  query: SQL;
}

const STATEMENT_FUNCTIONS: StatementFunction[] = [];

/** Declared by `prepared(…, { asFunction: true })` (src/db/prepared.ts). */
export function registerStatementFunction(statement: StatementFunction): void {
  STATEMENT_FUNCTIONS.push(statement);
}

/** The statements declared so far: installed by migrateDatabase behind a pooler. */
export const statementFunctions = (): readonly StatementFunction[] => STATEMENT_FUNCTIONS;

/** Where a statement's function is, and how many parameters it takes. */
export interface InstalledFunction {
  fn: string;
  arity: number;
}

/** A statement name, to its function: filled by installStatementFunctions. */
export type StatementFunctionMap = Map<string, InstalledFunction>;

const PROBE = 'promotions_statement_probe';
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The function's name: the statement's, plus a hash of its text and types (a new text, a new function). */
export function functionName(statementName: string, text: string, types: string[]): string {
  const hash = createHash('sha256').update(text).update('\0').update(types.join(',')).digest('hex');
  return `promotions_stmt_${statementName.slice(0, 30)}_${hash.slice(0, 12)}`;
}

/**
 * Creates (or finds) each statement's function, on a client inside the caller's transaction
 * (migrateDatabase's, under its advisory lock: instances starting together do not race). The
 * parameter types are PostgreSQL's own inference for the statement (PREPARE, then
 * pg_prepared_statements), so the function takes exactly what the statement would. A function
 * of an earlier version's text stays for the instances still running it.
 */
export async function installStatementFunctions(
  client: pg.Client,
  statements: readonly StatementFunction[],
  into: StatementFunctionMap,
): Promise<void> {
  const dialect = new PgDialect();
  for (const statement of statements) {
    if (!IDENTIFIER.test(statement.name))
      throw new Error(`statement name ${statement.name} is not an identifier`);
    const { sql: text } = dialect.sqlToQuery(statement.query);
    await client.query(`prepare ${PROBE} as ${text}`);
    const { rows } = await client.query<{ types: string[] }>(
      `select parameter_types::text[] as types from pg_prepared_statements where name = '${PROBE}'`,
    );
    await client.query(`deallocate ${PROBE}`);
    const types = rows[0]!.types;
    const fn = functionName(statement.name, text, types);
    await client.query(
      `create or replace function ${fn}(${types.join(', ')}) returns setof json
       language plpgsql stable as $promotions_stmt$
       begin
         return query select row_to_json(q) from (${text}) q;
       end
       $promotions_stmt$`,
    );
    into.set(statement.name, { fn, arity: types.length });
  }
}

/** pg's query config, whose `name` makes a named prepared statement. */
type QueryConfigLike = { name?: string; text: string };
type Query = (...args: unknown[]) => unknown;

/**
 * Makes a client send every statement unnamed (the 2-round-trip statements stay 2 round trips),
 * and a statement that has a function as a call of it, each row its JSON object.
 */
export function unnamedStatements(client: pg.PoolClient, functions: StatementFunctionMap): void {
  const query = client.query.bind(client) as Query;
  (client as { query: unknown }).query = function unnamedQuery(config: unknown, ...rest: unknown[]) {
    if (typeof config !== 'object' || config === null || (config as QueryConfigLike).name === undefined) {
      return query(config, ...rest);
    }
    const { name, ...unnamed } = config as QueryConfigLike;
    const installed = functions.get(name!);
    if (!installed) return query(unnamed, ...rest);
    const args = Array.from({ length: installed.arity }, (_, i) => `$${i + 1}`).join(', ');
    const call = { ...unnamed, text: `select ${installed.fn}(${args}) as r` };
    const unwrap = (res: pg.QueryResult<{ r: unknown }>) => {
      res.rows = res.rows.map((row) => row.r) as typeof res.rows;
      return res;
    };
    // pg.Pool#query calls the client with a callback; drizzle's transactions await a promise.
    const last = rest[rest.length - 1];
    if (typeof last === 'function') {
      const callback = last as (err: Error | null, res?: pg.QueryResult<{ r: unknown }>) => void;
      return query(call, ...rest.slice(0, -1), (err: Error | null, res?: pg.QueryResult<{ r: unknown }>) =>
        err || !res ? callback(err) : callback(null, unwrap(res)),
      );
    }
    return (query(call, ...rest) as Promise<pg.QueryResult<{ r: unknown }>>).then(unwrap);
  };
}
