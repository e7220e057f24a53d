/**
 * The load generator, run as its own process so it never shares the server's event loop:
 * `node --import tsx bench/load.ts <spec.json>` runs one autocannon scenario (warm-up, then
 * the measured run) and prints one JSON line of results. Right before and after the measured
 * run it reads the CPU time of the process under load and of PostgreSQL, and the statements
 * that process has sent, so they cover exactly the requests counted.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import {
  machineBusyMs,
  postgresCpuMs,
  postgresTicks,
  processCpuMs,
  rssBytes,
  statementsSent,
} from './probe.js';

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
  /** The process under load: its CPU, its query counter, and (soak) its RSS every second. */
  probe: { pid: number; counterUrl?: string; sampleRss?: boolean };
}

/** Measured over the counted run only (warm-up excluded). */
export interface Costs {
  /** CPU ms of the process under load (user + system, all threads) per request. */
  processCpuMsPerRequest: number;
  /** CPU ms of all `postgres` processes per request. */
  postgresCpuMsPerRequest: number;
  /** Statements the process sent to PostgreSQL per request (null without a query counter). */
  roundTripsPerRequest: number | null;
  /**
   * Share of the machine's CPU (all cores, over the window) busy with anything but the process
   * under load, PostgreSQL and this load generator: neighbours, the idle other server, the kernel's
   * unattributed work. Near 0 on a quiet machine.
   */
  otherCpuShare: number;
  windowSeconds: number;
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
  /** os.loadavg() (1, 5, 15 min) when this run started, before its warm-up. */
  loadAverage: number[];
  costs: Costs;
  /** RSS in bytes, once a second through the measured run (only with probe.sampleRss). */
  rssSamples?: number[];
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

const requests: autocannon.Request[] = [
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
];

const loadAverage = os.loadavg();
// Warm-up as its own run (same load, not counted), so the probes below bracket the counted run.
if (spec.warmup > 0) {
  await autocannon({ url: spec.url, connections: spec.connections, duration: spec.warmup, requests });
}

const { pid, counterUrl } = spec.probe;
const rssSamples: number[] = [];
const rssTimer = spec.probe.sampleRss
  ? setInterval(() => rssSamples.push(rssBytes(pid) ?? Number.NaN), 1000)
  : undefined;
const before = {
  at: performance.now(),
  machine: machineBusyMs(),
  self: process.cpuUsage(),
  cpu: processCpuMs(pid),
  postgres: postgresTicks(),
  statements: await statementsSent(counterUrl),
};
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.duration,
  requests,
});
const after = {
  at: performance.now(),
  machine: machineBusyMs(),
  self: process.cpuUsage(before.self),
  cpu: processCpuMs(pid),
  postgres: postgresTicks(),
  statements: await statementsSent(counterUrl),
};
if (rssTimer) clearInterval(rssTimer);
const answered = Math.max(1, result.requests.total);
const processMs = after.cpu - before.cpu;
const postgresMs = postgresCpuMs(before.postgres, after.postgres);
const selfMs = (after.self.user + after.self.system) / 1000;
const capacityMs = (after.at - before.at) * os.availableParallelism();
const costs: Costs = {
  processCpuMsPerRequest: processMs / answered,
  postgresCpuMsPerRequest: postgresMs / answered,
  otherCpuShare: Math.max(0, after.machine - before.machine - processMs - postgresMs - selfMs) / capacityMs,
  roundTripsPerRequest:
    before.statements === null || after.statements === null
      ? null
      : (after.statements - before.statements) / answered,
  windowSeconds: (after.at - before.at) / 1000,
};

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
  loadAverage,
  costs,
  ...(spec.probe.sampleRss ? { rssSamples } : {}),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
