// src/random.ts: ids and secrets drawn from a pooled CSPRNG buffer — each draw fresh (the pool is
// refilled before it runs out), of the asked length, and zeroed once handed out.
import { describe, expect, it } from 'vitest';
import { mintOpaque, parseOpaque } from '../src/auth/token-service.js';
import { drawRandom, randomBase64url } from '../src/random.js';

describe('src/random.ts', () => {
  it('draws distinct values of the asked length across many refills of the pool', () => {
    // 3,000 draws of 32 bytes: 96 KB, the 4 KiB pool refilled ~23 times.
    const values = Array.from({ length: 3000 }, () => randomBase64url(32));
    expect(new Set(values).size).toBe(values.length);
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomBase64url(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Every byte value turns up: no stretch of a stale or zeroed pool is handed out.
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      drawRandom(32, (pool, start, end) => {
        for (const byte of pool.subarray(start, end)) seen.add(byte);
      });
    }
    expect(seen.size).toBe(256);
  });

  it('zeroes the bytes it handed out, and draws more than the pool holds directly', () => {
    let seen: { pool: Buffer; start: number; end: number; copy: Buffer } | undefined;
    drawRandom(64, (pool, start, end) => {
      seen = { pool, start, end, copy: Buffer.from(pool.subarray(start, end)) };
    });
    expect(seen!.end - seen!.start).toBe(64);
    expect(seen!.copy.equals(Buffer.alloc(64))).toBe(false);
    expect(seen!.pool.subarray(seen!.start, seen!.end).equals(Buffer.alloc(64))).toBe(true);
    expect(randomBase64url(5000)).toHaveLength(Math.ceil((5000 * 4) / 3));
  });

  it('zeroes exactly what a nested draw handed out, and never fresh bytes after a nested refill', () => {
    const zero = (n: number) => Buffer.alloc(n);
    // Nested without a refill: each draw's own range is zeroed, and the next draw is fresh.
    drawRandom(16, () => undefined);
    const ranges: [number, number][] = [];
    let pool: Buffer | undefined;
    drawRandom(32, (from, start, end) => {
      pool = from;
      ranges.push([start, end]);
      drawRandom(32, (_inner, innerStart, innerEnd) => ranges.push([innerStart, innerEnd]));
    });
    for (const [start, end] of ranges)
      expect(pool!.subarray(start, end).equals(zero(end - start))).toBe(true);
    // Nested across a refill: the outer draw takes the whole pool, the inner one refills it.
    drawRandom(4096, () => drawRandom(16, () => undefined));
    // What the pool hands out next is fresh, not the zeros a stale range would have left.
    const next = drawRandom(64, (from, start, end) => Buffer.from(from.subarray(start, end)));
    expect(next.equals(zero(64))).toBe(false);
    expect(next.subarray(0, 16).equals(zero(16))).toBe(false);
  });

  it('mints tokens whose id and secret parse back and never repeat', () => {
    const minted = Array.from({ length: 500 }, () => mintOpaque('at'));
    expect(new Set(minted.map((m) => m.value)).size).toBe(500);
    for (const m of minted)
      expect(parseOpaque(m.value, 'at')).toEqual({ id: m.id, secret: m.value.split('.')[1] });
  });
});
