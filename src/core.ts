import fp from 'fastify-plugin';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database, Db } from './db/client.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** Every rule of CONTRACT §3 reads time from here, so tests move it. */
    clock: Clock;
    database: Database;
    db: Db;
  }
}

export interface CoreOptions {
  config: Config;
  clock: Clock;
  database: Database;
}

/** What every other plugin builds on: the validated config, the clock and the database. */
export const corePlugin = fp<CoreOptions>(
  async (app, { config, clock, database }) => {
    app.decorate('config', config);
    app.decorate('clock', clock);
    app.decorate('database', database);
    app.decorate('db', database.db);
  },
  { name: 'core' },
);
