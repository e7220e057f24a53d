import type { FastifyPluginAsync } from 'fastify';
import { featurePlugin } from '../core.js';
import { createPromotionsRepository, type PromotionsRepository } from './repository.js';
import { createPromotionService, type PromotionService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    promotionsRepository: PromotionsRepository;
    /** The operator's changes to a promotion (CONTRACT §6). */
    promotionService: PromotionService;
  }
}

export const promotionsPlugin = featurePlugin({
  name: 'promotions',
  dependencies: ['core', 'auth', 'audit', 'enrollments'],
  repository: ['promotionsRepository', createPromotionsRepository],
  service: [
    'promotionService',
    (app, promotions) =>
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
  ],
}) satisfies FastifyPluginAsync;
