import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../src/db/schema.js';
import { createEnrollmentsRepository } from '../src/enrollments/repository.js';
import type { Db } from '../src/db/client.js';

const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/bench', max: 1 });
const { rows } = await pool.query(`select e.id, e.promotion_id, e.partner_id from enrollments e where unenrolled_at is null limit 30`);
const client = await pool.connect();
const db = drizzle(client, { schema }) as unknown as Db;
const repo = createEnrollmentsRepository(db);
for (const [i, r] of rows.entries()) {
  await client.query('begin');
  await repo.unenroll({ id: r.id, promotionId: r.promotion_id }, { partnerId: r.partner_id, accountId: null }, new Date(), `evt_x${i}`, db);
  await client.query('rollback');
}
const t0 = performance.now();
for (const [i, r] of rows.entries()) {
  await client.query('begin');
  await repo.unenroll({ id: r.id, promotionId: r.promotion_id }, { partnerId: r.partner_id, accountId: null }, new Date(), `evt_y${i}`, db);
  await client.query('rollback');
}
console.log('ms/call incl begin/rollback', ((performance.now() - t0) / rows.length).toFixed(3));
console.log((await client.query(`select name, generic_plans, custom_plans from pg_prepared_statements`)).rows);
client.release();
await pool.end();
