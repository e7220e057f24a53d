import type { FastifyInstance } from 'fastify';
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

/**
 * A feature's plugin whose whole job is its repository over `app.db` and the service built on
 * it, decorated as `repository[0]` and `service[0]`. A feature with more parts (sweepers,
 * dispatchers, metrics) writes its own plugin.
 */
export function featurePlugin<R extends keyof FastifyInstance, S extends keyof FastifyInstance>(input: {
  name: string;
  dependencies: string[];
  repository: [R, (db: Db) => FastifyInstance[R]];
  service: [S, (app: FastifyInstance, repository: FastifyInstance[R]) => FastifyInstance[S]];
}) {
  const [repositoryKey, createRepository] = input.repository;
  const [serviceKey, createService] = input.service;
  return fp(
    async (app) => {
      const repository = createRepository(app.db);
      // decorate's types cannot follow a key that is a type parameter; the signature above
      // already ties each key to the type its value must have.
      app.decorate(repositoryKey, repository as never);
      app.decorate(serviceKey, createService(app, repository) as never);
    },
    { name: input.name, dependencies: input.dependencies },
  );
}
