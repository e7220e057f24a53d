import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createEntitlementService, type EntitlementService } from './entitlements.js';
import { createEntitlementsRepository } from './entitlements-repository.js';
import { createIngestService, type IngestService } from './ingest.js';
import { createIngestRepository } from './ingest-repository.js';
import { createUsageMaintenance, type UsageMaintenance } from './maintenance.js';
import { createUsageRepository } from './repository.js';
import { createUsageService, type UsageService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** CONTRACT §3 rule 3: the task ledger and its per-cycle counters. */
    usageService: UsageService;
    /** CONTRACT §12: the platform's batches of usage events, allocated across enrollments. */
    ingestService: IngestService;
    /** CONTRACT §12: what an account's enrollments would sponsor. */
    entitlementService: EntitlementService;
    /** CONTRACT §12: the ledger's monthly partitions and retention; server.ts starts it. */
    usageMaintenance: UsageMaintenance;
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
        enrollments: app.enrollmentViews,
        auditLog: app.auditLog,
      }),
    );
    const ingest = createIngestRepository(app.db);
    app.decorate(
      'ingestService',
      createIngestService({
        db: app.db,
        clock: app.clock,
        ingest,
        views: app.enrollmentViews,
        auditLog: app.auditLog,
      }),
    );
    app.decorate(
      'entitlementService',
      createEntitlementService({
        clock: app.clock,
        entitlements: createEntitlementsRepository(app.db, { coalesce: app.config.dbCoalesce }),
      }),
    );
    const maintenance = createUsageMaintenance({
      db: app.db,
      clock: app.clock,
      retentionMonths: app.config.usageLedgerRetentionMonths,
      eventRetentionDays: app.config.usageEventRetentionDays,
    });
    app.decorate('usageMaintenance', maintenance);
    // Whoever starts it (server.ts), closing the app stops it.
    app.addHook('onClose', async () => maintenance.stop());
  },
  { name: 'usage', dependencies: ['core', 'audit', 'enrollments'] },
) satisfies FastifyPluginAsync;
