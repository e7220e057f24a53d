import type { FastifyPluginAsync } from 'fastify';
import { featurePlugin } from '../core.js';
import { createTestClocksRepository, type TestClocksRepository } from './repository.js';
import { createTestClockService, type TestClockService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    testClocksRepository: TestClocksRepository;
    /** CONTRACT §9: sandbox partners' test clocks. */
    testClockService: TestClockService;
  }
}

export const testClocksPlugin = featurePlugin({
  name: 'test-clocks',
  dependencies: ['core', 'audit', 'auth', 'enrollments', 'usage'],
  repository: ['testClocksRepository', createTestClocksRepository],
  service: [
    'testClockService',
    (app, clocks) =>
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
  ],
}) satisfies FastifyPluginAsync;
