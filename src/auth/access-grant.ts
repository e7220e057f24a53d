import { scopesWithin } from './scopes.js';
import type { IssueInput } from './token-service.js';

/**
 * What an access token minted for a partner carries, decided here for every minting path
 * (the admin API's POST /tokens, OAuth client credentials): a user token when it acts for an
 * account, else an app token; scopes by scopesWithin. Null when the scope is refused, which
 * each caller answers in its own error format.
 */
export function accessGrant(
  partner: { id: string; scopes: readonly string[] },
  accountId: string | null,
  requestedScope: string | undefined,
): IssueInput | null {
  const scopes = scopesWithin(requestedScope, partner.scopes);
  if (!scopes) return null;
  return { kind: accountId ? 'user' : 'app', partnerId: partner.id, accountId, scopes };
}
