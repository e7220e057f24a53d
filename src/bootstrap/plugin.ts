import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { AuditContext } from '../audit/audit-log.js';
import { applyBootstrap, applySeedFile, type BootstrapResult } from './apply.js';
import type { BootstrapDeps } from './plan.js';
import { createBootstrapRepository } from './repository.js';
import type { BootstrapDocument } from './schema.js';

export interface BootstrapService {
  /** Applies (or with `dryRun`, plans) a validated document in one transaction (CONTRACT §10). */
  apply(
    document: BootstrapDocument,
    options: { dryRun: boolean; audit?: AuditContext },
  ): Promise<BootstrapResult>;
  /** SEED_FILE at start: read it, resolve its secrets from `env`, apply it. */
  applyFile(path: string, env: NodeJS.ProcessEnv): Promise<BootstrapResult>;
}

declare module 'fastify' {
  interface FastifyInstance {
    bootstrapService: BootstrapService;
  }
}

/** The bootstrap file (CONTRACT §10), over the feature repositories and services. */
export const bootstrapPlugin = fp(
  async (app) => {
    const deps: BootstrapDeps = {
      db: app.db,
      clock: app.clock,
      partners: app.partnersRepository,
      accounts: app.accountsRepository,
      promotions: app.promotionsRepository,
      promotionService: app.promotionService,
      webhooks: { repository: app.webhookEndpoints, service: app.webhookService },
      repository: createBootstrapRepository(app.db),
      auditLog: app.auditLog,
    };
    function apply(document: BootstrapDocument, options: { dryRun: boolean; audit?: AuditContext }) {
      return applyBootstrap(document, deps, options);
    }
    function applyFile(path: string, env: NodeJS.ProcessEnv) {
      return applySeedFile(path, env, deps);
    }
    app.decorate('bootstrapService', { apply, applyFile } satisfies BootstrapService);
  },
  { name: 'bootstrap', dependencies: ['core', 'audit', 'auth', 'promotions', 'webhooks'] },
) satisfies FastifyPluginAsync;
