import type { FastifyRequest } from 'fastify';
import type { PartnerRow, PartnersRepository } from '../auth/partners-repository.js';
import { verifySecret } from '../auth/secrets.js';
import type { VerifiedSecrets } from '../auth/verified-secrets.js';
import { readForm } from '../http/form.js';
import { invalidClient, OAuthError } from './errors.js';

export type FormBody = Record<string, string>;

/** An OAuth endpoint's form body (src/http/form.ts), refused as RFC 6749 invalid_request. */
export const parseForm = (request: FastifyRequest): FormBody =>
  readForm(request, (problem) =>
    problem.kind === 'media_type'
      ? new OAuthError('invalid_request', 'The request body must be application/x-www-form-urlencoded.')
      : new OAuthError(
          'invalid_request',
          `The ${problem.name.slice(0, 40)} parameter is ${problem.kind === 'repeated' ? 'repeated' : 'invalid'}.`,
        ),
  );

function basicCredentials(request: FastifyRequest): { clientId: string; clientSecret: string } | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!match) throw invalidClient('The Authorization header must use the Basic scheme.');
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient('The Basic credentials are malformed.');
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw invalidClient('The Basic credentials are malformed.');
  }
}

/**
 * Authenticates the client by HTTP Basic or by body parameters, never both (RFC 6749 §2.3).
 * A secret that passed scrypt recently is recognised by `verifiedSecrets` without it.
 */
export async function authenticateClient(
  request: FastifyRequest,
  form: FormBody,
  deps: { partners: PartnersRepository; verifiedSecrets: VerifiedSecrets },
): Promise<PartnerRow> {
  const { partners, verifiedSecrets } = deps;
  const basic = basicCredentials(request);
  const inBody = form.client_id !== undefined || form.client_secret !== undefined;
  if (basic && inBody) {
    throw new OAuthError(
      'invalid_request',
      'Client credentials were sent both in the Authorization header and in the body.',
    );
  }
  const credentials =
    basic ??
    (inBody ? { clientId: form.client_id ?? '', clientSecret: form.client_secret ?? '' } : undefined);
  if (!credentials?.clientId) throw invalidClient('Client authentication is required.');
  if (!credentials.clientSecret) throw invalidClient('Client authentication failed.');
  const partner =
    credentials.clientId.length <= 200 ? await partners.findByClientId(credentials.clientId) : undefined;
  // Verify even when the client is unknown, so timing reveals nothing about which ids exist.
  const ok =
    (partner !== undefined && verifiedSecrets.has(partner.clientSecretHash, credentials.clientSecret)) ||
    (await verifySecret(credentials.clientSecret, partner?.clientSecretHash));
  if (partner && ok) verifiedSecrets.remember(partner.clientSecretHash, credentials.clientSecret);
  if (!partner || !ok) throw invalidClient('Client authentication failed.');
  // Told only to a caller holding the secret: a disabled partner's credentials are refused until it is enabled again.
  if (partner.disabledAt) throw invalidClient('The client is disabled.');
  return partner;
}
