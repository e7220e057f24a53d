import { createHash } from 'node:crypto';

const BLOCK = Buffer.alloc(64 * 1024, 7);
const RECORDS = Array.from({ length: 20_000 }, (_, i) => ({
  id: `r${i}`,
  n: i,
  tags: ['a', 'b'],
  at: i * 1000,
}));

/**
 * The machine's speed right now: milliseconds of a fixed single-threaded task (sha-256 over
 * 64 MB, then a JSON round trip of 20,000 small objects: arithmetic and memory), the best of
 * three. Taken by the bench before every counted run, on the settled, idle machine. Its
 * spread over a bench shows what the load average cannot: a host that slows the whole VM
 * down (a neighbour on the same physical cores) makes every process slower per request —
 * server, baseline and PostgreSQL alike — while nothing else runs here.
 */
export function calibrate(): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (let i = 0; i < 1024; i++) createHash('sha256').update(BLOCK).digest();
    JSON.parse(JSON.stringify(RECORDS));
    best = Math.min(best, performance.now() - started);
  }
  return best;
}
