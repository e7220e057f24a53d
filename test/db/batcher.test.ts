import { describe, expect, it } from 'vitest';
import { coalescedMethod, createBatcher } from '../../src/db/batcher.js';
import type { Db } from '../../src/db/client.js';

/** A statement whose calls are held until the test releases them, recording what each was sent. */
function fakeStatements(lookup: (key: string) => string | null) {
  const calls: Array<{ kind: 'one' | 'many'; keys: string[]; release(err?: unknown): void }> = [];
  const held = <T>(kind: 'one' | 'many', keys: string[], answer: () => T) =>
    new Promise<T>((resolve, reject) => {
      calls.push({ kind, keys, release: (err) => (err === undefined ? resolve(answer()) : reject(err)) });
    });
  return {
    calls,
    one: (key: string) => held('one', [key], () => lookup(key)),
    many: (keys: readonly string[]) => held('many', [...keys], () => keys.map(lookup)),
  };
}

const ROWS: Record<string, string> = { a: 'row a', b: 'row b', c: 'row c', d: 'row d', e: 'row e' };
const lookup = (key: string) => ROWS[key] ?? null;
/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the batcher (coalescing, issue 27)', () => {
  it('sends a lone request at once through the single statement, with no added wait', async () => {
    const fake = fakeStatements(lookup);
    const batcher = createBatcher({ one: fake.one, many: fake.many });
    const answer = batcher.load('a');
    // Synchronously: the statement is already on its way.
    expect(fake.calls).toEqual([expect.objectContaining({ kind: 'one', keys: ['a'] })]);
    fake.calls[0]!.release();
    await expect(answer).resolves.toBe('row a');
    expect(batcher.stats).toEqual({ requests: 1, statements: 1, batches: 0 });
  });

  it('queues what arrives while maxInFlight statements run, and sends it as one batch when one returns; each caller gets its own row', async () => {
    const fake = fakeStatements(lookup);
    const batcher = createBatcher({ one: fake.one, many: fake.many, maxInFlight: 2 });
    const first = batcher.load('a');
    const second = batcher.load('b');
    const queued = ['c', 'x', 'd', 'e'].map((key) => batcher.load(key));
    expect(fake.calls.map((c) => [c.kind, c.keys])).toEqual([
      ['one', ['a']],
      ['one', ['b']],
    ]);
    fake.calls[1]!.release();
    await expect(second).resolves.toBe('row b');
    expect(fake.calls[2]).toMatchObject({ kind: 'many', keys: ['c', 'x', 'd', 'e'] });
    fake.calls[2]!.release();
    // 'x' has no row: its own null (its 404), not a neighbour's row.
    await expect(Promise.all(queued)).resolves.toEqual(['row c', null, 'row d', 'row e']);
    fake.calls[0]!.release();
    await expect(first).resolves.toBe('row a');
    expect(batcher.stats).toEqual({ requests: 6, statements: 3, batches: 1 });
  });

  it('sends a single queued request through the single statement, not a batch of one', async () => {
    const fake = fakeStatements(lookup);
    const batcher = createBatcher({ one: fake.one, many: fake.many, maxInFlight: 1 });
    const first = batcher.load('a');
    const second = batcher.load('b');
    fake.calls[0]!.release();
    await settle();
    expect(fake.calls[1]).toMatchObject({ kind: 'one', keys: ['b'] });
    fake.calls[1]!.release();
    await expect(Promise.all([first, second])).resolves.toEqual(['row a', 'row b']);
  });

  it('never holds more than maxBatch: a full queue leaves at once, and what follows starts the next batch', async () => {
    const fake = fakeStatements(lookup);
    const batcher = createBatcher({ one: fake.one, many: fake.many, maxInFlight: 1, maxBatch: 3 });
    const all = ['a', 'b', 'c', 'd', 'e', 'a'].map((key) => batcher.load(key));
    // 'a' runs alone; b, c, d fill the queue and leave together past maxInFlight; e, a queue.
    expect(fake.calls.map((c) => [c.kind, c.keys])).toEqual([
      ['one', ['a']],
      ['many', ['b', 'c', 'd']],
    ]);
    fake.calls[0]!.release();
    await settle();
    // The full batch still holds the one slot (maxInFlight 1): e and a wait for it.
    expect(fake.calls).toHaveLength(2);
    fake.calls[1]!.release();
    await settle();
    expect(fake.calls[2]).toMatchObject({ kind: 'many', keys: ['e', 'a'] });
    fake.calls[2]!.release();
    await expect(Promise.all(all)).resolves.toEqual(['row a', 'row b', 'row c', 'row d', 'row e', 'row a']);
    expect(fake.calls).toHaveLength(3);
  });

  it('answers each caller its own result whatever the order its requests arrived in', async () => {
    for (const order of [
      ['a', 'b', 'c', 'd', 'e'],
      ['e', 'd', 'c', 'b', 'a'],
      ['c', 'a', 'e', 'b', 'd'],
    ]) {
      const fake = fakeStatements(lookup);
      const batcher = createBatcher({ one: fake.one, many: fake.many, maxInFlight: 1 });
      const answers = order.map((key) => batcher.load(key));
      fake.calls[0]!.release();
      await settle();
      fake.calls[1]!.release();
      await expect(Promise.all(answers)).resolves.toEqual(order.map((key) => ROWS[key]));
    }
  });

  it("runs each request of a failed batch alone: one request's bad value fails only that request", async () => {
    const bad = Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' });
    const batcher = createBatcher<string, string | null>({
      one: async (key) => {
        if (key === 'bad') throw bad;
        return lookup(key);
      },
      many: async (keys) => {
        if (keys.includes('bad')) throw bad;
        return keys.map(lookup);
      },
      maxInFlight: 1,
    });
    const answers = ['a', 'b', 'bad', 'c'].map((key) => batcher.load(key).catch((err: unknown) => err));
    await expect(Promise.all(answers)).resolves.toEqual(['row a', 'row b', bad, 'row c']);
    // a alone; b, bad, c as a batch that failed; then each of those three alone.
    expect(batcher.stats).toEqual({ requests: 4, statements: 5, batches: 1 });
  });

  it('fails every request of a batch with the same error when the database is unavailable, without retrying each', async () => {
    const down = Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
    let singles = 0;
    const batcher = createBatcher<string, string | null>({
      one: async (key) => {
        singles++;
        await settle();
        if (singles > 1) throw down;
        return lookup(key);
      },
      many: async () => {
        throw down;
      },
      maxInFlight: 1,
    });
    const answers = ['a', 'b', 'c'].map((key) => batcher.load(key).catch((err: unknown) => err));
    await expect(Promise.all(answers)).resolves.toEqual(['row a', down, down]);
    expect(singles).toBe(1);
    expect(batcher.stats).toEqual({ requests: 3, statements: 2, batches: 1 });
  });

  it('fails a request alone when its single statement fails, and the next ones still run', async () => {
    const fake = fakeStatements(lookup);
    const batcher = createBatcher({ one: fake.one, many: fake.many, maxInFlight: 1 });
    const failing = batcher.load('a').catch((err: unknown) => err);
    const next = batcher.load('b');
    const err = new Error('boom');
    fake.calls[0]!.release(err);
    await expect(failing).resolves.toBe(err);
    await settle();
    fake.calls[1]!.release();
    await expect(next).resolves.toBe('row b');
  });

  it('refuses a batch statement that returns a different number of results, by running each alone', async () => {
    const batcher = createBatcher<string, string | null>({
      one: async (key) => lookup(key),
      many: async (keys) => keys.slice(1).map(lookup),
      maxInFlight: 1,
    });
    const answers = ['a', 'b', 'c'].map((key) => batcher.load(key));
    await expect(Promise.all(answers)).resolves.toEqual(['row a', 'row b', 'row c']);
    expect(batcher.stats.statements).toBe(4);
  });

  it('coalesces a repository method on the pool, and leaves a call inside a transaction alone on its connection', async () => {
    const pool = { name: 'pool' } as unknown as Db;
    const tx = { name: 'tx' } as unknown as Db;
    const seen: Array<{ kind: 'one' | 'many'; keys: string[]; on?: Db }> = [];
    const stats = { requests: 0, statements: 0, batches: 0 };
    const method = coalescedMethod(
      pool,
      async (key: string, on?: Db) => {
        seen.push({ kind: 'one', keys: [key], on });
        return lookup(key);
      },
      async (keys) => {
        seen.push({ kind: 'many', keys: [...keys] });
        return keys.map(lookup);
      },
      stats,
    );
    // On the pool (no tx, or the pool itself): two go at once, the rest leave together.
    const answers = await Promise.all([
      method('a'),
      method('b', pool),
      method('c'),
      method('x'),
      method('d', tx),
    ]);
    expect(answers).toEqual(['row a', 'row b', 'row c', null, 'row d']);
    expect(seen).toEqual([
      { kind: 'one', keys: ['a'], on: undefined },
      { kind: 'one', keys: ['b'], on: undefined },
      // Inside a transaction: at once, alone, on that transaction's connection.
      { kind: 'one', keys: ['d'], on: tx },
      { kind: 'many', keys: ['c', 'x'] },
    ]);
    expect(stats).toEqual({ requests: 4, statements: 3, batches: 1 });
  });
});
