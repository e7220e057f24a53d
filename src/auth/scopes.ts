export const SCOPES = ['promotions:read', 'promotions:write'] as const;
export type Scope = (typeof SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'promotions:read': 'View usage of promotions you manage on an account',
  'promotions:write': 'Enroll or unenroll accounts into promotions',
};

export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

/** Parses an OAuth `scope` string (space-separated); null when any entry is unknown. */
export function parseScopeString(value: string): Scope[] | null {
  const parts = value.split(' ').filter((s) => s.length > 0);
  if (!parts.every(isScope)) return null;
  return [...new Set(parts)].sort() as Scope[];
}

export const formatScopes = (scopes: readonly string[]): string => [...scopes].sort().join(' ');
