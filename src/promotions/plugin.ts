import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createPromotionsRepository, type PromotionsRepository } from './repository.js';
import { createPromotionService, type PromotionService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    promotionsRepository: PromotionsRepository;
    /** The operator's changes to a promotion (CONTRACT §6). */
    promotionService: PromotionService;
  }
}

export const promotionsPlugin = fp(
  async (app) => {
    const promotions = createPromotionsRepository(app.db);
    app.decorate('promotionsRepository', promotions);
    app.decorate(
      'promotionService',
      createPromotionService({
        db: app.db,
        clock: app.clock,
        promotions,
        partners: app.partnersRepository,
        auditLog: app.auditLog,
        // Rule 10: a promotion's end binds its live enrollments at once, with their events.
        // (each with its enrollment.expired event, written by the same statement).
        expireEnrollments: app.enrollmentExpiry.expireEndedPromotion,
      }),
    );
  },
  { name: 'promotions', dependencies: ['core', 'auth', 'audit', 'enrollments'] },
) satisfies FastifyPluginAsync;
