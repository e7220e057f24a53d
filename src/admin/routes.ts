import type { FastifyPluginAsync } from 'fastify';
import { accountRoutes } from './accounts.js';
import { enrollmentRoutes } from './enrollments.js';
import { partnerRoutes } from './partners.js';
import { promotionRoutes } from './promotions.js';
import { tokenRoutes } from './tokens.js';
import { usageRoutes } from './usage.js';

/** /admin/v1: the operator's surface, behind ADMIN_TOKEN (admin-auth.ts), one file per resource. */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  await app.register(partnerRoutes);
  await app.register(accountRoutes);
  await app.register(promotionRoutes);
  await app.register(enrollmentRoutes);
  await app.register(usageRoutes);
  await app.register(tokenRoutes);
};
