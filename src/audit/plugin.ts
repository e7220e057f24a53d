import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { type AuditLog, createAuditLog } from './audit-log.js';
import { createAuditRepository } from './repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** CONTRACT §11: who changed what; every admin write records into it in its own transaction. */
    auditLog: AuditLog;
  }
}

export const auditPlugin = fp(
  async (app) => {
    app.decorate(
      'auditLog',
      createAuditLog({ db: app.db, clock: app.clock, repository: createAuditRepository(app.db) }),
    );
  },
  { name: 'audit', dependencies: ['core'] },
) satisfies FastifyPluginAsync;
