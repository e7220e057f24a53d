/**
 * The load generator, run as its own process so it never shares the server's event loop:
 * `node --import tsx bench/load.ts <spec.json>` runs one autocannon scenario (warm-up, then
 * the measured run) and prints one JSON line of results.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface RequestItem {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  warmup: number;
  /** Named request pools; a consumed pool (POST, DELETE) must not be reused. */
  pools: Record<string, { items: RequestItem[]; consumed: boolean }>;
  /** The pools to draw from, in turn: ['get'], or 16×get, 3×post, 1×delete for the mix. */
  pattern: string[];
}

export interface LoadResult {
  requestsPerSec: number;
  total: number;
  latency: { p50: number; p97_5: number; p99: number; mean: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Items drawn from each pool, warm-up included; above the pool's size a consumed pool repeats. */
  drawn: Record<string, number>;
  exhausted: string[];
}

const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadSpec;
const drawn: Record<string, number> = Object.fromEntries(Object.keys(spec.pools).map((k) => [k, 0]));
let turn = 0;

// One shared sequence for every connection, so each pool item is used once before any repeats.
function next(): RequestItem {
  const name = spec.pattern[turn++ % spec.pattern.length]!;
  const pool = spec.pools[name]!;
  const item = pool.items[drawn[name]! % pool.items.length]!;
  drawn[name]!++;
  return item;
}

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.duration,
  ...(spec.warmup > 0 ? { warmup: { connections: spec.connections, duration: spec.warmup } } : {}),
  requests: [
    {
      setupRequest: (request) => {
        const item = next();
        return {
          ...request,
          method: item.method,
          path: item.path,
          headers: { ...(item.body ? { 'content-type': 'application/json' } : {}), ...item.headers },
          body: item.body ?? '',
        };
      },
    },
  ],
});

const statusCodes: Record<string, number> = {};
for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
const out: LoadResult = {
  requestsPerSec: result.requests.average,
  total: result.requests.total,
  latency: {
    p50: result.latency.p50,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    mean: result.latency.average,
    max: result.latency.max,
  },
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  statusCodes,
  drawn,
  exhausted: Object.entries(spec.pools)
    .filter(([name, pool]) => pool.consumed && drawn[name]! > pool.items.length)
    .map(([name]) => name),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
