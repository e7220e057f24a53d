// Preloaded into the bench's server and baseline (`node --import ./bench/query-counter.mjs …`)
// when BENCH_QUERY_COUNTER_PORT is set: counts every `pg` Client#query call of the process — one
// statement sent and answered, i.e. one round trip to PostgreSQL (BEGIN and COMMIT count, as
// does each statement inside a transaction; pool checkouts do not) — and serves the running
// total as plain text on 127.0.0.1:<port>. It loads the same `pg` module the process uses, so
// drizzle's queries and direct ones are both counted. Nothing of the served app changes.
import { createServer } from 'node:http';
import pg from 'pg';

let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  statements++;
  return query.apply(this, args);
};

const port = Number(process.env.BENCH_QUERY_COUNTER_PORT);
if (port > 0) {
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/plain');
    response.end(String(statements));
  });
  server.listen(port, '127.0.0.1');
  server.unref();
}
