import { parseScopeString, type Scope } from '../auth/scopes.js';
import { OAuthError } from './errors.js';

/** Scopes asked for must be within the partner's allowed ones; none asked means all allowed ones. */
export function grantScopes(requested: string | undefined, allowed: readonly string[]): Scope[] {
  if (requested === undefined) return parseScopeString(allowed.join(' ')) ?? [];
  const scopes = parseScopeString(requested);
  if (!scopes || scopes.length === 0 || !scopes.every((s) => allowed.includes(s))) {
    throw new OAuthError(
      'invalid_scope',
      'The requested scope is invalid, unknown, or exceeds what the client may request.',
    );
  }
  return scopes;
}
