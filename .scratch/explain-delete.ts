import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../src/db/schema.js';
import { createEnrollmentsRepository } from '../src/enrollments/repository.js';
import type { Db } from '../src/db/client.js';

const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/bench', max: 1 });
let captured: { sql: string; params: unknown[] } | undefined;
const db = drizzle(pool, { schema, logger: { logQuery: (sql, params) => { captured ??= { sql, params }; } } }) as unknown as Db;
const repo = createEnrollmentsRepository(db);
const { rows } = await pool.query(`select e.id, e.promotion_id, e.partner_id from enrollments e where unenrolled_at is null limit 50`);
const client = await pool.connect();
const times: number[] = [];
for (const [i, r] of rows.entries()) {
  captured = undefined;
  await client.query('begin');
  try {
    const clientDb = drizzle(client, { schema, logger: { logQuery: (sql, params) => { captured ??= { sql, params }; } } }) as unknown as Db;
    // capture only
    await createEnrollmentsRepository(clientDb).unenroll({ id: r.id, promotionId: r.promotion_id }, { partnerId: r.partner_id, accountId: null }, new Date(), `evt_x${i}`, clientDb);
  } finally { await client.query('rollback'); }
  await client.query('begin');
  const plan = await client.query(`explain (analyze, buffers, format text) ${captured!.sql}`, captured!.params as unknown[]);
  await client.query('rollback');
  if (i === rows.length - 1) console.log(plan.rows.map((x) => x['QUERY PLAN']).join('\n'));
}
client.release();
await pool.end();
