import { type Scope, scopesWithin } from '../auth/scopes.js';
import { OAUTH_ERRORS } from './errors.js';

/** auth/scopes.ts's rule against the partner's allowed scopes, refused as RFC 6749 invalid_scope. */
export function grantScopes(requested: string | undefined, allowed: readonly string[]): Scope[] {
  const scopes = scopesWithin(requested, allowed);
  if (!scopes) throw OAUTH_ERRORS.scopeNotAllowed();
  return scopes;
}
