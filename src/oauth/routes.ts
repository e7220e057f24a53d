import formbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import { createLoginThrottle } from '../auth/login-throttle.js';
import { authorizeEndpoint } from './authorize-endpoint.js';
import { type Csrf, createCsrf } from './csrf.js';
import { oauthErrorHandler } from './error-handler.js';
import { createGrantService, type GrantService } from './grant-service.js';
import { createGrantsRepository } from './grants-repository.js';
import { createLogin, type Login } from './login.js';
import { metadataEndpoint } from './metadata.js';
import { tokenEndpoint } from './token-endpoint.js';
import { tokenManagementEndpoints } from './token-management.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Codes, refresh-token families, revocation and introspection (OAuth scope only). */
    grantService: GrantService;
    /** The consent page's CSRF tokens (OAuth scope only). */
    csrf: Csrf;
    /** Email and password on the consent page, throttled (OAuth scope only). */
    login: Login;
  }
}

/**
 * The OAuth 2 authorization server (CONTRACT §5) as one encapsulated scope: form bodies are
 * parsed, and errors answered as RFC 6749 bodies, here and nowhere else.
 */
export const oauthRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config, accountsRepository: accounts, tokenService, tokenRepository } = app;
  await app.register(formbody, { bodyLimit: 16_384 });
  app.setErrorHandler(oauthErrorHandler);
  app.decorate(
    'grantService',
    createGrantService({
      db,
      clock,
      grants: createGrantsRepository(db, tokenRepository),
      tokens: tokenService,
      tokenRepository,
      issuer: config.publicUrl,
    }),
  );
  app.decorate('csrf', createCsrf({ db, clock }));
  app.decorate('login', createLogin({ accounts, throttle: createLoginThrottle({ db, clock }) }));

  await app.register(metadataEndpoint);
  await app.register(authorizeEndpoint);
  await app.register(tokenEndpoint);
  await app.register(tokenManagementEndpoints);
};
