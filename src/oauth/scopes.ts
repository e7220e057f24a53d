import { type Scope, scopesWithin } from '../auth/scopes.js';
import { OAuthError } from './errors.js';

/** RFC 6749 invalid_scope for a request beyond the partner's allowed scopes. */
export const invalidScope = () =>
  new OAuthError(
    'invalid_scope',
    'The requested scope is invalid, unknown, or exceeds what the client may request.',
  );

/** auth/scopes.ts's rule against the partner's allowed scopes, refused as RFC 6749 invalid_scope. */
export function grantScopes(requested: string | undefined, allowed: readonly string[]): Scope[] {
  const scopes = scopesWithin(requested, allowed);
  if (!scopes) throw invalidScope();
  return scopes;
}
