import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { ExpireEnrollments } from '../promotions/service.js';
import { enqueueExpired } from './events.js';
import { createExpirySweeper, type ExpirySweeper } from './expiry-sweeper.js';
import { createIdempotency, type Idempotency } from './idempotency.js';
import { createIdempotencyRepository } from './idempotency-repository.js';
import { createEnrollmentsRepository, type EnrollmentsRepository } from './repository.js';
import { createEnrollmentService, type EnrollmentService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    enrollments: EnrollmentsRepository;
    /** SPEC §3 rules 1 and 4–8: enroll, read, unenroll. */
    enrollmentService: EnrollmentService;
    /** SPEC §4 Idempotency-Key on POST /v2/promotions. */
    idempotency: Idempotency;
    /** Marks expired enrollments and drops old Idempotency-Key records; server.ts starts it. */
    expirySweeper: ExpirySweeper;
    /**
     * CONTRACT §3 rule 10: expires the live enrollments a promotion's end has passed, with their
     * enrollment.expired events, in the caller's transaction (the promotion's update).
     */
    expireEndedPromotion: ExpireEnrollments;
  }
}

export const enrollmentsPlugin = fp(
  async (app) => {
    const { db, clock, config } = app;
    const enrollments = createEnrollmentsRepository(db);
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
      // SPEC §8: each batch's enrollment.expired events commit with the batch.
      db,
      onExpired: enqueueExpired(enrollments),
    });
    app.decorate('expirySweeper', sweeper);
    const enqueueExpiredEvents = enqueueExpired(enrollments);
    app.decorate('expireEndedPromotion', async function expireEndedPromotion(promotionId, now, tx) {
      const ids = await enrollments.expireEndedPromotion(promotionId, now, tx);
      if (ids.length > 0) await enqueueExpiredEvents(tx, ids, now);
      return ids;
    } satisfies ExpireEnrollments);
    // Whoever starts the sweeper (server.ts), closing the app stops it.
    app.addHook('onClose', async () => sweeper.stop());
  },
  { name: 'enrollments', dependencies: ['core', 'auth'] },
) satisfies FastifyPluginAsync;
