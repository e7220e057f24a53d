import type { SQL } from 'drizzle-orm';
import type { Db } from './client.js';
import { registerStatementFunction } from './statement-functions.js';

/** drizzle's internals a prepared statement needs; stable across its pg and PGlite drivers. */
interface DrizzleInternals {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(
      query: { sql: string; params: unknown[] },
      fields: undefined,
      name: string | undefined,
      isResponseInArrayMode: boolean,
    ): { execute(placeholders?: Record<string, unknown>): Promise<{ rows: unknown[] }> };
  };
}

/**
 * A hot query as a named prepared statement: its SQL text is fixed (parameters only through
 * `sql.placeholder('name')`), so PostgreSQL parses and plans it once per connection instead
 * of on every call. On PGlite the name is ignored and the same text runs as is. Works on a
 * transaction as on the pool. The text is built once, on first use. The name follows
 * src/db/README.md (`{entity}_{operation}_{qualifier}`).
 *
 * `asFunction` (read-only statements only): behind a transaction pooler, where nothing stays
 * prepared (DATABASE_PREPARED_STATEMENTS=false), the statement runs as a PL/pgSQL function of
 * the same text instead, whose plan PostgreSQL keeps per server connection as it would keep
 * the named statement's (src/db/statement-functions.ts).
 */
export function prepared<Row, Params extends Record<string, unknown>>(
  name: string,
  query: SQL,
  options: { asFunction?: boolean } = {},
) {
  if (options.asFunction) registerStatementFunction({ name, query });
  let built: { sql: string; params: unknown[] } | undefined;
  const run = async (db: Db, params: Params): Promise<Row[]> => {
    const internals = db as unknown as DrizzleInternals;
    built ??= internals.dialect.sqlToQuery(query);
    const result = await internals.session.prepareQuery(built, undefined, name, false).execute(params);
    return result.rows as Row[];
  };
  return Object.assign(run, { statementName: name, query });
}

export type Prepared<Row, Params extends Record<string, unknown>> = ReturnType<typeof prepared<Row, Params>>;

/**
 * A hot builder query (drizzle's select, its rows mapped as drizzle maps them) as a named
 * prepared statement on the pool: the builder's own `.prepare(name)`, called here only, so that
 * every statement name is given in this file's two functions (src/db/README.md).
 */
export function preparedQuery<Statement>(
  name: string,
  query: { prepare(name: string): Statement },
): Statement {
  return query.prepare(name);
}
