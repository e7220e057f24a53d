// CONTRACT §11: the three roles of the people who run the server, and who is calling the
// admin API or the console. No Fastify here: the admin scope's guard and the console's both
// decide with `roleAllows`, so the rule lives once.

export const ROLES = ['viewer', 'editor', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/**
 * CONTRACT §12: an admin API key may instead be `meter`, the platform's narrow credential: the
 * metering endpoints (routes that declare `config.meter`) and nothing else. Only an editor or
 * an owner may hold one, and it works only while its operator is one.
 */
export const KEY_ROLES = [...ROLES, 'meter'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

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

/**
 * Whether a caller with role `have` may do what needs `need`; a meter key only on a metering
 * route (`meterRoute`), whatever role that route names for the others.
 */
export function roleAllows(have: KeyRole, need: Role, meterRoute = false): boolean {
  if (have === 'meter') return meterRoute;
  return RANK[have] >= RANK[need];
}

/**
 * The role a key acts with: the lower of its own and its operator's, so it never does more than
 * its operator may. A meter key acts as `meter` while its operator is an editor or an owner and
 * not at all otherwise (null).
 */
export function lowerRole(key: KeyRole, operator: Role): KeyRole | null {
  if (key === 'meter') return RANK[operator] >= RANK.editor ? 'meter' : null;
  return RANK[key] <= RANK[operator] ? key : operator;
}

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

export const isKeyRole = (value: unknown): value is KeyRole =>
  typeof value === 'string' && (KEY_ROLES as readonly string[]).includes(value);

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
  /** `meter` only for an API key (CONTRACT §12); sessions and ADMIN_TOKEN have an operator's role. */
  role: KeyRole;
}

export const ADMIN_TOKEN_ACTOR: AdminActor = Object.freeze({
  kind: 'admin_token',
  operatorId: null,
  email: null,
  apiKeyId: null,
  role: 'owner',
});
