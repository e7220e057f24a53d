import fp from 'fastify-plugin';
import { challenge, parseBearerHeader } from '../auth/authorize.js';
import { safeEqual } from '../auth/secrets.js';
import { ERRORS } from '../errors.js';

export interface AdminAuthOptions {
  /** null: the admin API answers 503 admin_disabled. */
  adminToken: string | null;
}

const REALM = 'admin';

/** `Authorization: Bearer <ADMIN_TOKEN>` on every request of the scope it is registered in (SPEC §6). */
export const adminAuthPlugin = fp<AdminAuthOptions>(
  async (app, { adminToken }) => {
    app.addHook('onRequest', async function authenticateAdmin(request) {
      if (adminToken === null) throw ERRORS.adminDisabled();
      const token = parseBearerHeader(request.headers.authorization);
      if (!token) throw ERRORS.adminTokenMissing(challenge(REALM));
      if (!safeEqual(token, adminToken)) {
        throw ERRORS.adminTokenInvalid(challenge(REALM, { error: 'invalid_token' }));
      }
    });
  },
  { name: 'admin-auth' },
);
