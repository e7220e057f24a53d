import type { FastifyPluginAsync } from 'fastify';
import { SCOPES } from '../auth/scopes.js';

const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];

/** GET /.well-known/oauth-authorization-server (RFC 8414), with PUBLIC_URL as the issuer. */
export const metadataEndpoint: FastifyPluginAsync = async (app) => {
  const issuer = app.config.publicUrl;
  const metadata = {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    scopes_supported: [...SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    code_challenge_methods_supported: ['S256'],
    // RFC 9207: authorization responses (codes and errors alike) carry `iss`.
    authorization_response_iss_parameter_supported: true,
  };
  app.get('/.well-known/oauth-authorization-server', async function serveMetadata(_request, reply) {
    return reply.header('cache-control', 'public, max-age=3600').send(metadata);
  });
};
