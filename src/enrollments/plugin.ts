import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createEnrollmentAuditTrail, type EnrollmentAuditTrail } from './audit-repository.js';
import { createEnrollmentExpiry, type EnrollmentExpiry } from './expiry-repository.js';
import { createExpirySweeper, type ExpirySweeper } from './expiry-sweeper.js';
import { createIdempotency, type Idempotency } from './idempotency.js';
import { createIdempotencyRepository } from './idempotency-repository.js';
import { createEnrollmentsRepository, type EnrollmentsRepository } from './repository.js';
import { createEnrollmentService, type EnrollmentService } from './service.js';
import { withCoalescedTokenViews } from './token-view-batch.js';
import { createEnrollmentViews, type EnrollmentViews } from './views.js';
import { withCoalescedWrites } from './write-batch.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The public API's statements: enroll, unenroll, GET's token with its enrollment. */
    enrollmentsRepository: EnrollmentsRepository;
    /** Enrollments as GET shows them, unenrolled ones too: by promotion, by ids. */
    enrollmentViews: EnrollmentViews;
    /** Marking enrollments expired: the sweeper, a test clock's advance, an ended promotion. */
    enrollmentExpiry: EnrollmentExpiry;
    /** An enrollment's audit trail (GET /admin/v1/enrollments/{id}/events). */
    enrollmentAuditTrail: EnrollmentAuditTrail;
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
    const enrollments = config.dbCoalesce
      ? withCoalescedWrites(withCoalescedTokenViews(repository, db), db)
      : repository;
    const expiry = createEnrollmentExpiry(db);
    const keys = createIdempotencyRepository(db);
    const idempotency = createIdempotency({ clock, keys });
    app.decorate('enrollmentsRepository', enrollments);
    app.decorate('enrollmentViews', createEnrollmentViews(db));
    app.decorate('enrollmentExpiry', expiry);
    app.decorate('enrollmentAuditTrail', createEnrollmentAuditTrail(db));
    app.decorate('idempotency', idempotency);
    app.decorate(
      'enrollmentService',
      createEnrollmentService({ db, clock, enrollments, tokens: app.tokenService, idempotency }),
    );
    const sweeper = createExpirySweeper({
      clock,
      expiry,
      keys,
      intervalMs: config.expirySweepIntervalSeconds * 1000,
    });
    app.decorate('expirySweeper', sweeper);
    // Whoever starts the sweeper (server.ts), closing the app stops it.
    app.addHook('onClose', async () => sweeper.stop());
  },
  { name: 'enrollments', dependencies: ['core', 'auth'] },
) satisfies FastifyPluginAsync;
