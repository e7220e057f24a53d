import { createAccountsRepository } from './auth/accounts-repository.js';
import { createPartnersRepository } from './auth/partners-repository.js';
import { createTokenRepository } from './auth/token-repository.js';
import { createTokenService } from './auth/token-service.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { createExpirySweeper } from './enrollments/expiry-sweeper.js';
import { createIdempotency } from './enrollments/idempotency.js';
import { createIdempotencyRepository } from './enrollments/idempotency-repository.js';
import { createEnrollmentsRepository } from './enrollments/repository.js';
import { createEnrollmentService } from './enrollments/service.js';
import { createCsrf } from './oauth/csrf.js';
import { createGrantService } from './oauth/grant-service.js';
import { createGrantsRepository } from './oauth/grants-repository.js';
import { createLogin } from './oauth/login.js';
import { createLoginThrottle } from './oauth/login-throttle.js';
import { createPromotionsRepository } from './promotions/repository.js';
import { createPromotionService } from './promotions/service.js';
import { createUsageRepository } from './usage/repository.js';
import { createUsageService } from './usage/service.js';
import { enqueueExpired } from './webhooks/events.js';

/** Wires repositories and services once; routes reach them through `app.services`. */
export function createServices(deps: { database: Database; clock: Clock; config: Config }) {
  const { database, clock, config } = deps;
  const db = database.db;
  const partners = createPartnersRepository(db);
  const accounts = createAccountsRepository(db);
  const promotions = createPromotionsRepository(db);
  const enrollments = createEnrollmentsRepository(db);
  const tokenRepository = createTokenRepository(db);
  const idempotencyKeys = createIdempotencyRepository(db);
  const tokens = createTokenService({
    tokens: tokenRepository,
    clock,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
  });
  return {
    database,
    db,
    clock,
    config,
    partners,
    accounts,
    promotions,
    enrollments,
    tokenRepository,
    tokens,
    enrollmentService: createEnrollmentService({ db, clock, promotions, enrollments }),
    promotionService: createPromotionService({ db, clock, promotions }),
    usageService: createUsageService({ db, clock, usage: createUsageRepository(db), enrollments }),
    idempotency: createIdempotency({ clock, keys: idempotencyKeys }),
    expirySweeper: createExpirySweeper({
      clock,
      enrollments,
      keys: idempotencyKeys,
      intervalMs: config.expirySweepIntervalSeconds * 1000,
      db,
      onExpired: enqueueExpired(enrollments),
    }),
    grantService: createGrantService({
      db,
      clock,
      grants: createGrantsRepository(db),
      tokens,
      tokenRepository,
      issuer: config.publicUrl,
    }),
    csrf: createCsrf({ db, clock }),
    login: createLogin({ accounts, throttle: createLoginThrottle({ db, clock }) }),
  };
}

export type Services = ReturnType<typeof createServices>;

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}
