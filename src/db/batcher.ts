// Coalescing (issue 27): requests of one kind that arrive while statements of that kind are in
// flight share the next statement, as DataLoader and TechEmpower's fastest entries do. A lone
// request goes at once through its own single-row statement: nothing waits when the server is
// idle, and the plan is the one it always was. Under load the requests that queue behind the
// running statements leave together as one statement over arrays when one of those returns.
import type { Db } from './client.js';
import { isDatabaseUnavailable } from './errors.js';

export interface BatcherOptions<Req, Res> {
  /** The single-request statement: a lone request, and each request again after a batch's error. */
  one(request: Req): Promise<Res>;
  /** The statement over arrays: one result per request, in the requests' order. */
  many(requests: readonly Req[]): Promise<Res[]>;
  /**
   * Statements of this kind running at once before requests start to queue. 2: one statement
   * whose answer is on its way back while the next one runs, so PostgreSQL is never idle
   * waiting for the server to send the next; more would only split the queue into smaller
   * batches (more statements per request), fewer would leave that gap.
   */
  maxInFlight?: number;
  /** Requests in one batch at most; a full queue leaves at once, even past maxInFlight. */
  maxBatch?: number;
  /** Where to count (e.g. one object shared by every instance of a kind); else the batcher's own. */
  stats?: BatcherStats;
}

export interface BatcherStats {
  /** Requests answered, or failed, through this batcher. */
  requests: number;
  /** Statements sent: single ones (lone requests, and retries after a batch's error) and batches. */
  statements: number;
  /** Of those, the statements over arrays. */
  batches: number;
}

export interface Batcher<Req, Res> {
  load(request: Req): Promise<Res>;
  readonly stats: Readonly<BatcherStats>;
}

interface Pending<Req, Res> {
  request: Req;
  resolve(result: Res): void;
  reject(err: unknown): void;
}

export const DEFAULT_MAX_IN_FLIGHT = 2;
export const DEFAULT_MAX_BATCH = 64;

/**
 * Only for pool-level reads outside any transaction: a batch runs on whichever pooled
 * connection is free, so a request inside a transaction (which must see its own writes, on its
 * own connection) must call its statement directly. Each caller gets exactly its own result or
 * error. The queue never holds more than `maxBatch` requests: a full one leaves at once.
 *
 * A batch that fails: when the database is unavailable (a dropped connection, a timeout, see
 * isDatabaseUnavailable) every request alone would fail the same way, so each fails with that
 * error, as a 503; any other error runs each request again alone, so one request's bad value
 * fails only that request.
 */
export function createBatcher<Req, Res>(options: BatcherOptions<Req, Res>): Batcher<Req, Res> {
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  if (maxInFlight < 1 || maxBatch < 2) throw new Error('maxInFlight must be ≥ 1 and maxBatch ≥ 2');
  const stats: BatcherStats = options.stats ?? { requests: 0, statements: 0, batches: 0 };
  let inFlight = 0;
  const queue: Pending<Req, Res>[] = [];

  function settle(pending: Pending<Req, Res>, run: Promise<Res>): Promise<void> {
    return run.then(pending.resolve, pending.reject);
  }

  async function runOne(pending: Pending<Req, Res>): Promise<void> {
    stats.statements++;
    let run: Promise<Res>;
    try {
      run = options.one(pending.request);
    } catch (err) {
      run = Promise.reject(err);
    }
    await settle(pending, run);
  }

  async function runMany(batch: Pending<Req, Res>[]): Promise<void> {
    stats.statements++;
    stats.batches++;
    let results: Res[];
    try {
      results = await options.many(batch.map((p) => p.request));
      if (results.length !== batch.length) {
        throw new Error(`a batch of ${batch.length} requests gave ${results.length} results`);
      }
    } catch (err) {
      if (isDatabaseUnavailable(err)) {
        for (const pending of batch) pending.reject(err);
        return;
      }
      await Promise.all(batch.map(runOne));
      return;
    }
    batch.forEach((pending, i) => {
      pending.resolve(results[i]!);
    });
  }

  /** Sends what is queued (a lone request through its own statement), then whatever queued meanwhile. */
  function send(): void {
    const batch = queue.splice(0, maxBatch);
    inFlight++;
    const run = batch.length === 1 ? runOne(batch[0]!) : runMany(batch);
    void run.finally(() => {
      inFlight--;
      if (queue.length > 0 && inFlight < maxInFlight) send();
    });
  }

  return {
    stats,
    load(request: Req): Promise<Res> {
      stats.requests++;
      return new Promise<Res>((resolve, reject) => {
        queue.push({ request, resolve, reject });
        if (inFlight < maxInFlight || queue.length >= maxBatch) send();
      });
    },
  };
}

/**
 * A repository method `(request, tx = db)` coalesced: called on the pool (no `tx`, or `db`
 * itself) it goes through a batcher of `one` and `many`; inside a transaction it stays on that
 * transaction's connection, alone, through `one`.
 */
export function coalescedMethod<Req, Res>(
  db: Db,
  one: (request: Req, tx?: Db) => Promise<Res>,
  many: (requests: readonly Req[]) => Promise<Res[]>,
  stats?: BatcherStats,
): (request: Req, tx?: Db) => Promise<Res> {
  const batcher = createBatcher<Req, Res>({ one: (request) => one(request), many, stats });
  return (request, tx = db) => (tx === db ? batcher.load(request) : one(request, tx));
}
