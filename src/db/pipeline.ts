import pg from 'pg';

type QueryArgs = Parameters<pg.Client['query']>;

/**
 * DB_PIPELINE=true (docs/PERFORMANCE.md, "Pipelining, issue 27"): what drizzle's node-postgres
 * driver is given in place of the pool. A statement outside a transaction (`query`) goes to one
 * of `size` connections in node-postgres' pipeline mode, written behind the statements already
 * in flight there instead of waiting for a connection of its own; each is its own implicit
 * transaction (a Sync after each), so one failing does not fail its neighbours. A transaction
 * (`connect`, which drizzle calls for `db.transaction`) still checks a connection out of the
 * pool, alone on it as before.
 *
 * The class name ends in "Pool": that is how drizzle's driver tells a pool (transactions on a
 * checked-out client) from a single client.
 */
export class PipelinedPool {
  private readonly slots: (Promise<pg.Client> | undefined)[];
  private readonly live: (pg.Client | undefined)[];
  private readonly inFlight: number[];
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly clientConfig: pg.ClientConfig,
    size: number,
    /** Called on each new connection (error listener, query bound). */
    private readonly prepare: (client: pg.Client) => void,
  ) {
    this.slots = new Array(size).fill(undefined);
    this.live = new Array(size).fill(undefined);
    this.inFlight = new Array(size).fill(0);
  }

  query(...args: QueryArgs): Promise<pg.QueryResult> {
    if (this.closed) return Promise.reject(new Error('Client was closed and is not queryable'));
    const slot = this.leastBusy();
    this.inFlight[slot]!++;
    const done = () => {
      this.inFlight[slot]!--;
    };
    this.slots[slot] ??= this.open(slot);
    const result = this.slots[slot].then((client) =>
      (client.query as (...a: unknown[]) => Promise<pg.QueryResult>)(...args),
    );
    result.then(done, done);
    return result;
  }

  connect(): Promise<pg.PoolClient> {
    return this.pool.connect();
  }

  async end(): Promise<void> {
    this.closed = true;
    const clients = await Promise.all(this.slots.map((slot) => slot?.catch(() => undefined)));
    await Promise.all(clients.map((client) => client?.end().catch(() => {})));
  }

  /** The connection with the fewest statements in flight (or waiting for it to open). */
  private leastBusy(): number {
    let best = 0;
    for (let i = 1; i < this.inFlight.length; i++) if (this.inFlight[i]! < this.inFlight[best]!) best = i;
    return best;
  }

  private async open(slot: number): Promise<pg.Client> {
    const client = new pg.Client({ ...this.clientConfig, pipeline: true } as pg.ClientConfig);
    const forget = () => {
      if (this.live[slot] === client || this.live[slot] === undefined) {
        this.slots[slot] = undefined;
        this.live[slot] = undefined;
      }
    };
    client.on('error', forget);
    client.on('end', forget);
    this.prepare(client);
    try {
      await client.connect();
    } catch (err) {
      this.slots[slot] = undefined;
      throw err;
    }
    this.live[slot] = client;
    return client;
  }
}
