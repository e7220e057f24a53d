import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './processes.js';

export interface PgbenchResult {
  tps: number;
  latencyMs: number;
}

export interface PgbenchFixtures {
  partnerId: string;
  getPool: string;
  getCount: number;
  /** INSERTs spread over this many promotions so `promotions × accounts` fresh pairs exist. */
  insertPromotions: number;
  insertAccounts: number;
  updatePool: string;
  updateCount: number;
  /** CONTRACT §12: rows per batch insert, over the metered accounts `ing-1` … `ing-<n>`. */
  ingestBatch: number;
  ingestAccounts: number;
}

/** The single statements the baseline runs, as pgbench scripts: the database's own ceiling. */
export function pgbenchScripts(
  f: PgbenchFixtures,
): Record<'get' | 'post' | 'delete' | 'token' | 'ingest', string> {
  return {
    get: `\\set i random(1, ${f.getCount})
select * from enrollments where id = md5('${f.getPool}-' || :i)::uuid;
`,
    post: `insert into enrollments (id, promotion_id, account_id, partner_id, enrolled_at, expires_at, created_at)
select gen_random_uuid(), 'pgb_' || (s % ${f.insertPromotions}), md5('pgb-acct-' || (s / ${f.insertPromotions} + 1))::uuid,
       '${f.partnerId}', now(), now() + interval '90 days', now()
from nextval('bench_pgb_seq') s;
`,
    delete: `\\set i random(1, ${f.updateCount})
update enrollments set unenrolled_at = now() where id = md5('${f.updatePool}-' || :i)::uuid;
`,
    // The baseline's batch insert (bench/baseline.ts POST /usage_events), rows made in the database.
    ingest: `insert into usage_ledger (id, enrollment_id, cycle_start, tasks_requested, tasks_accepted, event_id,
                          occurred_at, recorded_at)
select gen_random_uuid(), md5('ing-' || (1 + (random() * ${f.ingestAccounts - 1})::int))::uuid, now(), 3, 3,
       'pgb-' || nextval('bench_pgb_ingest_seq'), now(), now()
from generate_series(1, ${f.ingestBatch});
`,
    token: `insert into access_tokens (id, secret_hash, kind, partner_id, scopes, expires_at, created_at)
values (md5(random()::text), md5(random()::text), 'app', '${f.partnerId}', '{promotions:read,promotions:write}', now() + interval '1 hour', now());
`,
  };
}

/** `pgbench -n -c <clients> -j 2 -T <seconds> -f <script> <db>`. */
export async function runPgbench(
  url: string,
  script: string,
  clients: number,
  seconds: number,
): Promise<PgbenchResult> {
  const file = join(tmpdir(), `bench-pgbench-${process.pid}.sql`);
  writeFileSync(file, script);
  const out = await run('pgbench', [
    '-n',
    '-c',
    String(clients),
    '-j',
    '2',
    '-T',
    String(seconds),
    '-f',
    file,
    url,
  ]);
  const tps = /tps = ([\d.]+)/.exec(out);
  const latency = /latency average = ([\d.]+) ms/.exec(out);
  if (!tps) throw new Error(`cannot read pgbench output:\n${out}`);
  return { tps: Number(tps[1]), latencyMs: latency ? Number(latency[1]) : Number.NaN };
}
