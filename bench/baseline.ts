/**
 * The baseline: a bare Fastify server doing the least SQL each request kind needs, with no
 * auth, no validation, no rate limit and no framework logic of ours, on the same database and
 * pool size as the real server. `npm run bench` drives it exactly like the real one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('baseline: DATABASE_URL is required');
const port = Number(process.env.PORT ?? 3100);
const promotionId = process.env.BENCH_PROMOTION_ID ?? 'bench_promo';
const partnerId = process.env.BENCH_PARTNER_ID;
if (!partnerId) throw new Error('baseline: BENCH_PARTNER_ID is required');

const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DB_POOL_MAX ?? 10) });
pool.on('error', () => {});
const app = Fastify({ logger: false });

// One primary-key SELECT.
app.get<{ Params: { id: string } }>('/enrollments/:id', async (request, reply) => {
  const { rows } = await pool.query('select * from enrollments where id = $1', [request.params.id]);
  if (rows.length === 0) return reply.code(404).send({ error: 'not found' });
  return rows[0];
});

// One INSERT of a current enrollment (the partial unique index is checked, as on the real path).
app.post<{ Body: { account_id: string } }>('/enrollments', async (request, reply) => {
  const now = new Date();
  const { rows } = await pool.query(
    `insert into enrollments (id, promotion_id, account_id, partner_id, enrolled_at, expires_at, created_at)
     values ($1, $2, $3, $4, $5, $6, $5) returning id`,
    [
      randomUUID(),
      promotionId,
      request.body.account_id,
      partnerId,
      now,
      new Date(now.getTime() + 90 * 86_400_000),
    ],
  );
  return reply.code(201).send({ enrollment_id: `${promotionId}:${rows[0].id}` });
});

// One UPDATE (the soft delete).
app.delete<{ Params: { id: string } }>('/enrollments/:id', async (request, reply) => {
  const { rowCount } = await pool.query(
    'update enrollments set unenrolled_at = now() where id = $1 and unenrolled_at is null',
    [request.params.id],
  );
  return reply.code(rowCount ? 204 : 404).send();
});

// One INSERT of an access token.
app.post('/token', async () => {
  const id = randomBytes(16).toString('base64url');
  await pool.query(
    `insert into access_tokens (id, secret_hash, kind, partner_id, scopes, expires_at, created_at)
     values ($1, $2, 'app', $3, '{promotions:read,promotions:write}', now() + interval '1 hour', now())`,
    [id, randomBytes(32).toString('base64url'), partnerId],
  );
  return { access_token: `at_${id}.x`, token_type: 'Bearer', expires_in: 3600 };
});

// CONTRACT §12's batch, bare: the same 500 events in one INSERT … SELECT FROM unnest into the
// usage ledger, with no account lookup, no allocation, no dedup and no counters (the enrollment
// id stands in as md5 of the external account id).
app.post<{ Body: { events: Array<{ id: string; external_account_id: string; tasks: number }> } }>(
  '/usage_events',
  { bodyLimit: 1024 * 1024 },
  async (request) => {
    const { events } = request.body;
    await pool.query(
      `insert into usage_ledger (id, enrollment_id, cycle_start, tasks_requested, tasks_accepted, event_id,
                                 occurred_at, recorded_at)
       select gen_random_uuid(), md5(v.account)::uuid, now(), v.tasks, v.tasks, v.id, now(), now()
       from unnest($1::text[], $2::text[], $3::int[]) as v(id, account, tasks)`,
      [events.map((e) => e.id), events.map((e) => e.external_account_id), events.map((e) => e.tasks)],
    );
    return { data: events.length };
  },
);

app.get('/healthz', async () => ({ status: 'ok' }));

const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

await app.listen({ host: '127.0.0.1', port });
