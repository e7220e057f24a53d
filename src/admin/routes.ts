import type { FastifyPluginAsync } from 'fastify';
import { accountRoutes } from './accounts.js';
import { auditLogRoutes } from './audit-log.js';
import { bootstrapRoutes } from './bootstrap.js';
import { enrollmentRoutes } from './enrollments.js';
import { exportRoutes } from './exports.js';
import { meteringRoutes } from './metering.js';
import { operatorRoutes } from './operators.js';
import { partnerRoutes } from './partners.js';
import { promotionRoutes } from './promotions.js';
import { testClockAdminRoutes } from './test-clocks.js';
import { tokenRoutes } from './tokens.js';
import { usageRoutes } from './usage.js';
import { webhookAdminRoutes } from './webhooks.js';

/**
 * /admin/v1: the operator's surface, behind ADMIN_TOKEN or an operator's API key
 * (admin-auth.ts), one file per resource, every one registered here; each route declares the
 * role it needs (CONTRACT §11).
 */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  await app.register(partnerRoutes);
  await app.register(accountRoutes);
  await app.register(promotionRoutes);
  await app.register(enrollmentRoutes);
  await app.register(exportRoutes);
  await app.register(usageRoutes);
  await app.register(meteringRoutes);
  await app.register(tokenRoutes);
  await app.register(testClockAdminRoutes);
  await app.register(operatorRoutes);
  await app.register(auditLogRoutes);
  await app.register(webhookAdminRoutes);
  await app.register(bootstrapRoutes);
};
