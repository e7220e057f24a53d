import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { configureInDoubt, transactionResolvingDoubt } from '../../src/db/in-doubt.js';

// What drizzle throws after a lost COMMIT: the error of the ROLLBACK it tries next.
const lostCommit = Object.assign(new Error('Failed query: rollback'), {
  query: 'rollback',
  cause: new Error('Connection terminated unexpectedly'),
});
const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

/** A stand-in whose transaction runs the work, then fails the way a lost COMMIT does. */
const failingCommit = (failure: Error = lostCommit) =>
  ({
    transaction: async (fn: (tx: unknown) => Promise<unknown>) => {
      await fn({});
      throw failure;
    },
  }) as unknown as Db;

describe('transactionResolvingDoubt', () => {
  it('treats a lost connection before the work finished as a plain failure, not in doubt', async () => {
    let checked = false;
    const failsDuringWork = {
      transaction: async (fn: (tx: unknown) => Promise<unknown>) => fn({}),
    } as unknown as Db;
    await expect(
      transactionResolvingDoubt(
        failsDuringWork,
        async () => {
          throw down;
        },
        async () => {
          checked = true;
          return true;
        },
      ),
    ).rejects.toBe(down);
    expect(checked).toBe(false);
  });

  it('answers success when the change turns out to be durable, waiting for the database to return', async () => {
    let checks = 0;
    const result = await transactionResolvingDoubt(
      failingCommit(),
      async () => 'enrolled',
      async () => {
        checks++;
        if (checks < 3) throw down;
        return true;
      },
      { delayMs: 1 },
    );
    expect(result).toBe('enrolled');
    expect(checks).toBe(3);
  });

  it('keeps the original error when the change did not land or the database never returns', async () => {
    await expect(
      transactionResolvingDoubt(
        failingCommit(),
        async () => 1,
        async () => false,
        { delayMs: 1 },
      ),
    ).rejects.toBe(lostCommit);
    await expect(
      transactionResolvingDoubt(
        failingCommit(),
        async () => 1,
        async () => {
          throw down;
        },
        { delayMs: 1, attempts: 3 },
      ),
    ).rejects.toBe(lostCommit);
  });

  it('answers the error once its bound passes, then resolves the change in the background and logs it', async () => {
    const lines: Array<{ in_doubt?: string; msg: string }> = [];
    configureInDoubt({ log: { warn: (obj, msg) => lines.push({ ...(obj as { in_doubt?: string }), msg }) } });
    let checks = 0;
    const started = Date.now();
    // The database stays silent past the request's bound (a partition), then answers: it landed.
    await expect(
      transactionResolvingDoubt(
        failingCommit(),
        async () => 'enrolled',
        async () => {
          checks++;
          if (checks < 8) throw down;
          return true;
        },
        { delayMs: 50, withinMs: 120 },
      ),
    ).rejects.toBe(lostCommit);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(lines.map((l) => l.in_doubt)).toEqual(['pending']);
    await vi.waitFor(() => expect(lines.map((l) => l.in_doubt)).toEqual(['pending', 'landed']), {
      timeout: 2_000,
    });
    expect(lines[1]!.msg).toBe('in-doubt change resolved after its request was answered 503: it landed');
    expect(checks).toBe(8);
  });

  it('passes other failures straight through without checking', async () => {
    const other = new Error('boom');
    let checked = false;
    await expect(
      transactionResolvingDoubt(
        failingCommit(other),
        async () => 1,
        async () => {
          checked = true;
          return true;
        },
      ),
    ).rejects.toBe(other);
    expect(checked).toBe(false);
  });
});
