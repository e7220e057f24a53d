import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createExpirySweeper, type ExpirySweeper } from './expiry-sweeper.js';
import { createIdempotency, type Idempotency } from './idempotency.js';
import { createIdempotencyRepository } from './idempotency-repository.js';
import { createEnrollmentsRepository, type EnrollmentsRepository } from './repository.js';
import { createEnrollmentService, type EnrollmentService } from './service.js';
import { withCoalescedTokenViews } from './token-view-batch.js';

declare module 'fastify' {
  interface FastifyInstance {
    enrollments: EnrollmentsRepository;
    /** CONTRACT §3 rules 1 and 4–8: enroll, read, unenroll. */
    enrollmentService: EnrollmentService;
    /** CONTRACT §4 Idempotency-Key on POST /v2/promotions. */
    idempotency: Idempotency;
    /** Marks expired enrollments and drops old Idempotency-Key records; server.ts starts it. */
    expirySweeper: ExpirySweeper;
  }
}

export const enrollmentsPlugin = fp(
  async (app) => {
    const { db, clock, config } = app;
    const repository = createEnrollmentsRepository(db);
    const enrollments = config.dbCoalesce ? withCoalescedTokenViews(repository, db) : repository;
    const keys = createIdempotencyRepository(db);
    const idempotency = createIdempotency({ clock, keys });
    app.decorate('enrollments', enrollments);
    app.decorate('idempotency', idempotency);
    app.decorate(
      'enrollmentService',
      createEnrollmentService({ db, clock, enrollments, tokens: app.tokens, idempotency }),
    );
    const sweeper = createExpirySweeper({
      clock,
      enrollments,
      keys,
      intervalMs: config.expirySweepIntervalSeconds * 1000,
    });
    app.decorate('expirySweeper', sweeper);
    // Whoever starts the sweeper (server.ts), closing the app stops it.
    app.addHook('onClose', async () => sweeper.stop());
  },
  { name: 'enrollments', dependencies: ['core', 'auth'] },
) satisfies FastifyPluginAsync;
