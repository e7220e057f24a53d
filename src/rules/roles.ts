// CONTRACT §11: the three roles of the people who run the server, and who is calling the
// admin API or the console. No Fastify here: the admin scope's guard and the console's both
// decide with `roleAllows`, so the rule lives once.

export const ROLES = ['viewer', 'editor', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role may do:
 * - viewer: read everything the admin API and the console show;
 * - editor: also change promotions, accounts, enrollments, usage, webhooks and test clocks;
 * - owner: also partners, secrets (rotations, minted tokens), operators and their API keys.
 */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: 'reads everything',
  editor: 'also changes promotions, accounts, enrollments, usage, webhooks and test clocks',
  owner: 'also partners, secrets, minted tokens, operators and API keys',
};

const RANK: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 };

/** Whether a caller with role `have` may do what needs `need`. */
export function roleAllows(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

/** The lower of two roles: a key never does more than its operator may. */
export function lowerRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/**
 * Who is calling the admin API or the console: the bootstrap ADMIN_TOKEN (an owner with no
 * operator behind it), an operator's API key, or an operator's console session.
 */
export interface AdminActor {
  kind: 'admin_token' | 'api_key' | 'session';
  operatorId: string | null;
  email: string | null;
  /** The API key used, for `api_key` actors. */
  apiKeyId: string | null;
  role: Role;
}

export const ADMIN_TOKEN_ACTOR: AdminActor = Object.freeze({
  kind: 'admin_token',
  operatorId: null,
  email: null,
  apiKeyId: null,
  role: 'owner',
});
