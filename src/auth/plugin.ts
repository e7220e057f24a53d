import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { type AccountPasswords, createAccountPasswords } from './account-passwords.js';
import { type AccountsRepository, createAccountsRepository } from './accounts-repository.js';
import { createPartnerService, type PartnerService } from './partner-service.js';
import { createPartnersRepository, type PartnersRepository } from './partners-repository.js';
import { withCoalescedPartnerReads, withCoalescedTokens } from './token-batch.js';
import { createTokenRepository, type TokenRepository } from './token-repository.js';
import { createTokenService, type TokenService } from './token-service.js';
import { createVerifiedSecrets, type VerifiedSecrets } from './verified-secrets.js';

declare module 'fastify' {
  interface FastifyInstance {
    partnersRepository: PartnersRepository;
    /** The operator's partners: registration, changes, disabling and secret rotation, audited (CONTRACT §6, CONTRACT §11). */
    partnerService: PartnerService;
    accountsRepository: AccountsRepository;
    /** Accounts' passwords set through the admin API (hashed; `setPassword(id, password, tx?)`). */
    accountPasswords: AccountPasswords;
    tokenRepository: TokenRepository;
    /** Issues and verifies access tokens; every audience's authentication goes through it. */
    tokenService: TokenService;
    /** Client secrets that recently passed scrypt (OAuth client authentication). */
    verifiedSecrets: VerifiedSecrets;
  }
}

/** Who can call: partners (OAuth clients), accounts (users) and their access tokens. */
export const authPlugin = fp(
  async (app) => {
    const repository = createTokenRepository(app.db);
    // Issue 27: token reads and inserts, and client_id reads, in flight share statements (DB_COALESCE, on by default).
    const tokenRepository = app.config.dbCoalesce ? withCoalescedTokens(repository, app.db) : repository;
    const partnerReads = createPartnersRepository(app.db);
    const partners = app.config.dbCoalesce ? withCoalescedPartnerReads(partnerReads, app.db) : partnerReads;
    app.decorate('partnersRepository', partners);
    app.decorate(
      'partnerService',
      createPartnerService({ clock: app.clock, partners, auditLog: app.auditLog }),
    );
    const accounts = createAccountsRepository(app.db);
    app.decorate('accountsRepository', accounts);
    app.decorate('accountPasswords', createAccountPasswords({ accounts }));
    app.decorate('tokenRepository', tokenRepository);
    app.decorate('verifiedSecrets', createVerifiedSecrets({ clock: app.clock }));
    app.decorate(
      'tokenService',
      createTokenService({
        tokens: tokenRepository,
        clock: app.clock,
        accessTokenTtlSeconds: app.config.accessTokenTtlSeconds,
      }),
    );
  },
  { name: 'auth', dependencies: ['core', 'audit'] },
) satisfies FastifyPluginAsync;
