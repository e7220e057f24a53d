import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../clients/helpers.js';
import { ADMIN_TOKEN, type PartnerFixture, useTestApp } from '../helpers/app.js';

// CONTRACT §6 "Exports": a million rows stream in the memory of one batch. The server runs in
// this process, so the process's heap and RSS while a client downloads are the server's (the
// client below keeps nothing but counts).
const ROWS = 1_000_000;
const MB = 1024 * 1024;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ctx = useTestApp({ now: null });
let partner: PartnerFixture;
let promotion: string;

beforeAll(async () => {
  partner = await ctx.fixtures.partner();
  promotion = await ctx.fixtures.promotion(partner.id, { id: 'million', taskLimitPerMonth: 750 });
  // One statement each, on a connection of its own (no statement timeout): 1,000 accounts, a
  // million enrollments of them (superseded ones, so rule 4's index allows it), and one usage
  // counter per enrollment.
  const client = new pg.Client({ connectionString: ctx.db.url });
  await client.connect();
  try {
    await client.query('set synchronous_commit = off');
    await client.query(`
      insert into accounts (id, email, password_hash, created_at)
      select gen_random_uuid(), 'bulk-' || g || '@example.com', 'x', now() from generate_series(1, 1000) g`);
    await client.query(
      `insert into enrollments (id, promotion_id, account_id, partner_id, enrolled_at, expires_at, is_current)
       select gen_random_uuid(), $1, a.id, $2,
              now() - (g % 400) * interval '1 day', now() + interval '30 days', false
       from generate_series(1, $3::int) g
       join (select id, row_number() over () - 1 as n from accounts) a on a.n = g % 1000`,
      [promotion, partner.id, ROWS],
    );
    await client.query(
      `insert into usage_counters (enrollment_id, cycle_start, used)
       select id, enrolled_at, 3 from enrollments where promotion_id = $1`,
      [promotion],
    );
    await client.query('analyze');
  } finally {
    await client.end();
  }
}, 600_000);

/**
 * Downloads `path`, counting lines and bytes, while sampling this process's memory with a full
 * collection before each sample (heapUsed is then what is still held, not garbage a lazy
 * collector has not swept yet). RSS is judged from a tenth of the way in, once V8's heap and
 * the sockets' buffers have grown to their working size: streaming stays there, holding the
 * rows would keep growing with them.
 */
async function download(path: string, expectedLines: number) {
  const base = await listen(ctx.app);
  gc();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let warm: number | null = null;
  let peakRssAfterWarm = 0;
  let lines = 0;
  const sample = () => {
    gc();
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    if (warm === null && lines >= expectedLines / 10) warm = now.rss;
    if (warm !== null) peakRssAfterWarm = Math.max(peakRssAfterWarm, now.rss);
  };
  const timer = setInterval(sample, 1000);
  const res = await request(`${base}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  let bytes = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  clearInterval(timer);
  sample();
  return {
    status: res.statusCode,
    type: res.headers['content-type'],
    bytes,
    lines,
    heapGrowth: (peakHeap - before.heapUsed) / MB,
    rssGrowthAfterWarmUp: warm === null ? Number.NaN : (peakRssAfterWarm - warm) / MB,
  };
}

describe('exports of a million rows on PostgreSQL', { timeout: 900_000 }, () => {
  it('streams a million enrollments as CSV with bounded heap and RSS', async () => {
    const result = await download(`/admin/v1/promotions/${promotion}/enrollments.csv`, ROWS + 1);
    console.log('enrollments.csv', result);
    expect(result.status).toBe(200);
    expect(result.type).toBe('text/csv; charset=utf-8; header=present');
    expect(result.lines).toBe(ROWS + 1);
    // The body is ~240 MiB: holding it (or the rows, larger still) would grow the live heap by
    // that much, and the RSS by more than 200 MiB over the last nine tenths; streaming holds one
    // batch (RSS is noisier than the heap: V8 and malloc keep pages they freed).
    expect(result.bytes).toBeGreaterThan(230 * MB);
    expect(result.heapGrowth).toBeLessThan(32);
    expect(result.rssGrowthAfterWarmUp).toBeLessThan(128);
  });

  it('streams a million usage rows as NDJSON with bounded heap and RSS', async () => {
    const result = await download(`/admin/v1/promotions/${promotion}/usage.ndjson`, ROWS);
    console.log('usage.ndjson', result);
    expect(result.status).toBe(200);
    expect(result.type).toBe('application/x-ndjson; charset=utf-8');
    expect(result.lines).toBe(ROWS);
    expect(result.bytes).toBeGreaterThan(270 * MB);
    expect(result.heapGrowth).toBeLessThan(32);
    expect(result.rssGrowthAfterWarmUp).toBeLessThan(128);
  });
});
