import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuditContext } from '../audit/audit-log.js';
import { challenge, parseBearerHeader } from '../auth/authorize.js';
import { safeEqual } from '../auth/secrets.js';
import { ERRORS } from '../errors.js';
import { requireRouteDeclaration } from '../http/route-declaration.js';
import { looksLikeApiKey } from '../operators/service.js';
import { ADMIN_TOKEN_ACTOR, type AdminActor, isRole, type Role, roleAllows } from '../rules/roles.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** CONTRACT §11: who calls the admin API or the console, once authenticated; null before. */
    actor: AdminActor | null;
  }
  interface FastifyContextConfig {
    /** CONTRACT §11: the role an admin or console route needs; a route without one fails at start-up. */
    role?: Role;
    /** CONTRACT §12: a metering route, which a `meter` API key may call too. */
    meter?: boolean;
  }
}

export interface AdminAuthOptions {
  /** The bootstrap owner token; null: only operators' API keys are accepted (else 503 admin_disabled). */
  adminToken: string | null;
}

const REALM = 'admin';

/** The audit context of an admin API request (CONTRACT §11): its actor, its id, via the API. */
export function apiAudit(request: FastifyRequest): AuditContext {
  if (!request.actor) throw new Error('apiAudit before admin authentication');
  return { actor: request.actor, requestId: request.id, via: 'api' };
}

/**
 * Refuses a route to a caller whose role is below the one the route declares, and a meter key
 * anything but a metering route (403 permission_denied).
 */
export function requireRole(actor: AdminActor, need: Role | undefined, meterRoute = false): void {
  if (need === undefined || roleAllows(actor.role, need, meterRoute)) return;
  throw actor.role === 'meter' ? ERRORS.meterKeyOnly() : ERRORS.roleRequired(need, actor.role);
}

/**
 * `Authorization: Bearer <ADMIN_TOKEN | operator API key>` on every request of the scope it is
 * registered in (CONTRACT §6, CONTRACT §11): the caller becomes `request.actor`, then its role is
 * checked against the route's `config.role` before the body is even read. ADMIN_TOKEN is the
 * bootstrap owner; an `adk_…` value is always checked as an operator's key.
 */
export const adminAuthPlugin = fp<AdminAuthOptions>(
  async (app, { adminToken }) => {
    const { operatorService } = app;

    requireRouteDeclaration(app, 'role', isRole, 'viewer, editor or owner');

    async function authenticate(header: string | undefined): Promise<AdminActor> {
      const token = parseBearerHeader(header);
      if (token && looksLikeApiKey(token)) {
        const actor = await operatorService.verifyApiKey(token);
        if (!actor) throw ERRORS.apiKeyInvalid(challenge(REALM, { error: 'invalid_token' }));
        return actor;
      }
      if (adminToken === null) throw ERRORS.adminDisabled();
      if (!token) throw ERRORS.adminTokenMissing(challenge(REALM));
      if (!safeEqual(token, adminToken)) {
        throw ERRORS.adminTokenInvalid(challenge(REALM, { error: 'invalid_token' }));
      }
      return ADMIN_TOKEN_ACTOR;
    }

    app.addHook('onRequest', async function authenticateAdmin(request) {
      request.actor = await authenticate(request.headers.authorization);
      const { role, meter } = request.routeOptions.config;
      requireRole(request.actor, role, meter === true);
    });
  },
  { name: 'admin-auth', dependencies: ['operators'] },
);
