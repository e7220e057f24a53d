import formbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import { authorizeEndpoint } from './authorize-endpoint.js';
import { metadataEndpoint } from './metadata.js';
import { tokenEndpoint } from './token-endpoint.js';
import { tokenManagementEndpoints } from './token-management.js';

export { grantScopes } from './scopes.js';

/** The OAuth 2 authorization server (SPEC §5). Form bodies are parsed only inside this scope. */
export const oauthRoutes: FastifyPluginAsync = async (app) => {
  await app.register(formbody, { bodyLimit: 16_384 });
  await app.register(metadataEndpoint);
  await app.register(authorizeEndpoint);
  await app.register(tokenEndpoint);
  await app.register(tokenManagementEndpoints);
};
