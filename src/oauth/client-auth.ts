import type { FastifyRequest } from 'fastify';
import type { PartnerRow, PartnersRepository } from '../auth/partners-repository.js';
import { sha256, verifySecret } from '../auth/secrets.js';
import { invalidClient, OAuthError } from './errors.js';

export type FormBody = Record<string, string>;

/** RFC 6749 §3.2: parameters may not repeat; a form parser gives arrays for repeats. */
export function parseForm(request: FastifyRequest): FormBody {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new OAuthError('invalid_request', 'The request body must be application/x-www-form-urlencoded.');
  }
  const body = (request.body ?? {}) as Record<string, unknown>;
  const form: FormBody = {};
  for (const [key, value] of Object.entries(body)) {
    if (Array.isArray(value)) throw new OAuthError('invalid_request', `The ${key} parameter is repeated.`);
    if (typeof value !== 'string')
      throw new OAuthError('invalid_request', `The ${key} parameter is invalid.`);
    if (value !== '') form[key] = value;
  }
  return form;
}

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

/** Authenticates the client by HTTP Basic or by body parameters, never both (RFC 6749 §2.3). */
/**
 * Secrets that recently passed scrypt, remembered as sha-256 (they are 256-bit random
 * values, so the digest reveals nothing) for a few minutes. A hit skips the ~50 ms slow hash
 * for a partner's repeated client-credentials calls; a wrong secret always pays full price,
 * and the cache is keyed by the stored hash, so a new secret never matches an old entry.
 * Safe to lose: a miss only costs one scrypt.
 */
export const verifiedSecrets = (() => {
  const TTL_MS = 10 * 60 * 1000;
  const MAX_ENTRIES = 10_000;
  const entries = new Map<string, number>();
  const keyOf = (storedHash: string, secret: string) => `${storedHash}\n${sha256(secret)}`;
  return {
    has(storedHash: string, secret: string): boolean {
      const key = keyOf(storedHash, secret);
      const until = entries.get(key);
      if (until === undefined) return false;
      if (until < Date.now()) {
        entries.delete(key);
        return false;
      }
      return true;
    },
    remember(storedHash: string, secret: string): void {
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      entries.set(keyOf(storedHash, secret), Date.now() + TTL_MS);
    },
    clear: () => entries.clear(),
  };
})();

export async function authenticateClient(
  request: FastifyRequest,
  form: FormBody,
  partners: PartnersRepository,
): Promise<PartnerRow> {
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
  return partner;
}
