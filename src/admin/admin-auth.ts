import fp from 'fastify-plugin';
import { challenge, parseBearerHeader } from '../auth/authorize.js';
import { safeEqual } from '../auth/secrets.js';
import { ApiError } from '../errors.js';

export interface AdminAuthOptions {
  /** null: the admin API answers 503 admin_disabled. */
  adminToken: string | null;
}

const REALM = 'admin';

/** `Authorization: Bearer <ADMIN_TOKEN>` on every request of the scope it is registered in (SPEC §6). */
export const adminAuthPlugin = fp<AdminAuthOptions>(
  async (app, { adminToken }) => {
    app.addHook('onRequest', async function authenticateAdmin(request) {
      if (adminToken === null) {
        throw new ApiError('admin_disabled', 'The admin API is disabled: set ADMIN_TOKEN to enable it.');
      }
      const token = parseBearerHeader(request.headers.authorization);
      if (!token) {
        throw new ApiError('not_authenticated', 'The admin API needs Authorization: Bearer <ADMIN_TOKEN>.', {
          headers: { 'www-authenticate': challenge(REALM) },
        });
      }
      if (!safeEqual(token, adminToken)) {
        throw new ApiError('not_authenticated', 'The admin token is invalid.', {
          headers: { 'www-authenticate': challenge(REALM, { error: 'invalid_token' }) },
        });
      }
    });
  },
  { name: 'admin-auth' },
);
