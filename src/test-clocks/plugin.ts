import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createTestClocksRepository, type TestClocksRepository } from './repository.js';
import { createTestClockService, type TestClockService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    testClocksRepository: TestClocksRepository;
    /** CONTRACT §9: sandbox partners' test clocks. */
    testClockService: TestClockService;
  }
}

export const testClocksPlugin = fp(
  async (app) => {
    const clocks = createTestClocksRepository(app.db);
    app.decorate('testClocksRepository', clocks);
    app.decorate(
      'testClockService',
      createTestClockService({
        db: app.db,
        clock: app.clock,
        clocks,
        accounts: app.accountsRepository,
        expiry: app.enrollmentExpiry,
        tokenService: app.tokenService,
        usageService: app.usageService,
        auditLog: app.auditLog,
      }),
    );
  },
  { name: 'test-clocks', dependencies: ['core', 'audit', 'auth', 'enrollments', 'usage'] },
) satisfies FastifyPluginAsync;
