import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createUsageRepository } from './repository.js';
import { createUsageService, type UsageService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** CONTRACT §3 rule 3: the task ledger and its per-cycle counters. */
    usageService: UsageService;
  }
}

export const usagePlugin = fp(
  async (app) => {
    app.decorate(
      'usageService',
      createUsageService({
        db: app.db,
        clock: app.clock,
        usage: createUsageRepository(app.db),
        enrollments: app.enrollments,
        auditLog: app.auditLog,
      }),
    );
  },
  { name: 'usage', dependencies: ['core', 'audit', 'enrollments'] },
) satisfies FastifyPluginAsync;
