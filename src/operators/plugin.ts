import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createOperatorsRepository, type OperatorsRepository } from './repository.js';
import { createOperatorService, type OperatorService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    operatorsRepository: OperatorsRepository;
    /** CONTRACT §11: operators, their roles and admin API keys. */
    operatorService: OperatorService;
  }
}

export const operatorsPlugin = fp(
  async (app) => {
    const operators = createOperatorsRepository(app.db);
    app.decorate('operatorsRepository', operators);
    app.decorate(
      'operatorService',
      createOperatorService({ db: app.db, clock: app.clock, operators, auditLog: app.auditLog }),
    );
  },
  { name: 'operators', dependencies: ['core', 'audit'] },
) satisfies FastifyPluginAsync;
