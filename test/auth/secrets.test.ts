import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { hashSecret, SCRYPT_CONCURRENCY, scryptInFlight, verifySecret } from '../../src/auth/secrets.js';

describe('scrypt (src/auth/secrets.ts)', () => {
  it('runs at most one per CPU but one (at least one) at once, queues the rest, and every answer is still right', async () => {
    expect(SCRYPT_CONCURRENCY).toBe(Math.max(1, availableParallelism() - 1));
    const stored = await hashSecret('cs_right');
    expect(scryptInFlight()).toBe(0);
    let highest = 0;
    const sampler = setInterval(() => {
      highest = Math.max(highest, scryptInFlight());
    }, 1);
    const attempts = Array.from({ length: SCRYPT_CONCURRENCY * 3 + 1 }, (_, i) =>
      verifySecret(i % 2 === 0 ? 'cs_right' : 'cs_wrong', stored),
    );
    // All were started at once: as many as allowed run, the others wait.
    expect(scryptInFlight()).toBe(SCRYPT_CONCURRENCY);
    const results = await Promise.all(attempts);
    clearInterval(sampler);
    expect(results).toEqual(attempts.map((_, i) => i % 2 === 0));
    expect(highest).toBe(SCRYPT_CONCURRENCY);
    expect(scryptInFlight()).toBe(0);
  });

  it('frees its slot when scrypt fails, so later calls still run', async () => {
    // N not a power of two: node's scrypt rejects it.
    await expect(verifySecret('x', `scrypt$1000$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`)).rejects.toThrow();
    expect(scryptInFlight()).toBe(0);
    expect(await verifySecret('cs_right', await hashSecret('cs_right'))).toBe(true);
  });
});
