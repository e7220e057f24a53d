import type { FastifyRequest } from 'fastify';
import type { PartnerRow, PartnersRepository } from '../auth/partners-repository.js';
import { verifySecret } from '../auth/secrets.js';
import type { VerifiedSecrets } from '../auth/verified-secrets.js';
import { readForm } from '../http/form.js';
import { OAUTH_ERRORS } from './errors.js';

export type FormBody = Record<string, string>;

/** An OAuth endpoint's form body (src/http/form.ts), refused as RFC 6749 invalid_request. */
export const parseForm = (request: FastifyRequest): FormBody =>
  readForm(request, (problem) =>
    problem.kind === 'media_type'
      ? OAUTH_ERRORS.formMediaType()
      : OAUTH_ERRORS.formParameter(problem.name, problem.kind === 'repeated' ? 'repeated' : 'invalid'),
  );

function basicCredentials(request: FastifyRequest): { clientId: string; clientSecret: string } | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!match) throw OAUTH_ERRORS.basicSchemeRequired();
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw OAUTH_ERRORS.basicCredentialsMalformed();
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw OAUTH_ERRORS.basicCredentialsMalformed();
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
    throw OAUTH_ERRORS.credentialsTwice();
  }
  const credentials =
    basic ??
    (inBody ? { clientId: form.client_id ?? '', clientSecret: form.client_secret ?? '' } : undefined);
  if (!credentials?.clientId) throw OAUTH_ERRORS.clientAuthenticationRequired();
  if (!credentials.clientSecret) throw OAUTH_ERRORS.clientAuthenticationFailed();
  const partner =
    credentials.clientId.length <= 200 ? await partners.findByClientId(credentials.clientId) : undefined;
  // Verify even when the client is unknown, so timing reveals nothing about which ids exist.
  const ok =
    (partner !== undefined && verifiedSecrets.has(partner.clientSecretHash, credentials.clientSecret)) ||
    (await verifySecret(credentials.clientSecret, partner?.clientSecretHash));
  if (partner && ok) verifiedSecrets.remember(partner.clientSecretHash, credentials.clientSecret);
  if (!partner || !ok) throw OAUTH_ERRORS.clientAuthenticationFailed();
  // Told only to a caller holding the secret: a disabled partner's credentials are refused until it is enabled again.
  if (partner.disabledAt) throw OAUTH_ERRORS.clientDisabled();
  return partner;
}
