export const SCOPES = ['promotions:read', 'promotions:write'] as const;
export type Scope = (typeof SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'promotions:read': 'View usage of promotions you manage on an account',
  'promotions:write': 'Enroll or unenroll accounts into promotions',
};

export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

/**
 * Known scopes each once, in SCOPES' order, which is alphabetical (test/auth/scopes.test.ts):
 * what de-duplicating and sorting gave, without the sort's allocations on every token (issue 27).
 */
const inOrder = (scopes: readonly string[]): Scope[] => SCOPES.filter((scope) => scopes.includes(scope));

/** Parses an OAuth `scope` string (space-separated); null when any entry is unknown. */
export function parseScopeString(value: string): Scope[] | null {
  const parts = value.split(' ').filter((s) => s.length > 0);
  if (!parts.every(isScope)) return null;
  return inOrder(parts);
}

/** A token's `scope` member: space-separated, sorted. */
export const formatScopes = (scopes: readonly string[]): string =>
  (scopes.every(isScope) ? inOrder(scopes) : [...scopes].sort()).join(' ');

/**
 * The one scope rule for every token a partner gets (admin-minted, client credentials, the
 * authorization request, a refresh): the scopes asked for, when every one is known and within
 * `allowed` (the partner's scopes, or a grant's); none asked means all of `allowed`. Null when
 * the request asks for nothing or for more; each caller answers that in its own error format.
 */
export function scopesWithin(requested: string | undefined, allowed: readonly string[]): Scope[] | null {
  if (requested === undefined) return parseScopeString(allowed.join(' ')) ?? [];
  const scopes = parseScopeString(requested);
  if (!scopes || scopes.length === 0 || !scopes.every((s) => allowed.includes(s))) return null;
  return scopes;
}
