import type { FastifyPluginAsync } from 'fastify';
import { featurePlugin } from '../core.js';
import { createOperatorsRepository, type OperatorsRepository } from './repository.js';
import { createOperatorService, type OperatorService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    operatorsRepository: OperatorsRepository;
    /** CONTRACT §11: operators, their roles and admin API keys. */
    operatorService: OperatorService;
  }
}

export const operatorsPlugin = featurePlugin({
  name: 'operators',
  dependencies: ['core', 'audit'],
  repository: ['operatorsRepository', createOperatorsRepository],
  service: [
    'operatorService',
    (app, operators) =>
      createOperatorService({ db: app.db, clock: app.clock, operators, auditLog: app.auditLog }),
  ],
}) satisfies FastifyPluginAsync;
