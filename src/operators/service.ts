// CONTRACT §11: operators (email + password, a role) and their admin API keys (shown once,
// stored as hashes, revocable). Every change records its audit entry in its own transaction.
import { randomUUID } from 'node:crypto';
import type { AuditContext, AuditEntry, AuditLog } from '../audit/audit-log.js';
import { changesBetween } from '../audit/audit-log.js';
import { hashSecret, randomId, sha256, verifySecret } from '../auth/secrets.js';
import { secretMatches } from '../auth/token-service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { ERRORS } from '../errors.js';
import { type Page, readCursor, readTimeKeyCursor, timeKeyCursor, toPage } from '../pagination.js';
import { UUID_PATTERN } from '../rules/enrollment-id.js';
import { type AdminActor, type KeyRole, lowerRole, type Role } from '../rules/roles.js';
import { toRfc3339, toRfc3339OrNull } from '../rules/time.js';
import type { ApiKeyRow, OperatorRow, OperatorsRepository } from './repository.js';

/** `adk_<id>.<secret>`: 128 bits of id to find the row, 256 bits of secret compared against its sha-256. */
const API_KEY = /^adk_([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
const KEY_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * A key's public id: 128 random bits in base64url that never begin with `-`, so that
 * `npm run admin -- keys revoke <key_id>` and every other shell tool read it as an argument,
 * not an option (one id in 64 would otherwise).
 */
export function newApiKeyId(): string {
  for (;;) {
    const id = randomId(16);
    if (id[0] !== '-') return id;
  }
}

/** Whether a bearer value is shaped like an operator's API key (it is then checked as one, never as ADMIN_TOKEN). */
export const looksLikeApiKey = (value: string): boolean => API_KEY.test(value);

export function toOperatorResource(o: OperatorRow) {
  return {
    id: o.id,
    email: o.email,
    role: o.role,
    disabled: o.disabledAt !== null,
    disabled_at: toRfc3339OrNull(o.disabledAt),
    must_change_password: o.mustChangePassword,
    created_at: toRfc3339(o.createdAt),
    updated_at: toRfc3339(o.updatedAt),
  };
}

export function toApiKeyResource(k: ApiKeyRow) {
  return {
    id: k.id,
    operator_id: k.operatorId,
    name: k.name,
    role: k.role,
    created_at: toRfc3339(k.createdAt),
    last_used_at: toRfc3339OrNull(k.lastUsedAt),
    revoked_at: toRfc3339OrNull(k.revokedAt),
  };
}

export type OperatorResource = ReturnType<typeof toOperatorResource>;
export type ApiKeyResource = ReturnType<typeof toApiKeyResource>;

/** The audit entry of an operator's change: the fields that differ (all of them for a creation). */
const operatorEntry = (
  action: string,
  id: string,
  before: OperatorResource | null,
  after: OperatorResource,
): AuditEntry => ({ action, objectType: 'operator', objectId: id, changes: changesBetween(before, after) });

/**
 * A one-time password an operator types or pastes once: 144 random bits in base64url, never
 * starting with `-`, which a command line (`--current-password -x…`) would read as an option.
 */
function temporaryPassword(): string {
  for (;;) {
    const candidate = randomId(18);
    if (!candidate.startsWith('-')) return candidate;
  }
}

export function createOperatorService(deps: {
  db: Db;
  clock: Clock;
  operators: OperatorsRepository;
  auditLog: AuditLog;
}) {
  const { db, clock, operators, auditLog } = deps;

  async function findOperatorOrThrow(id: string, tx: Db = db): Promise<OperatorRow> {
    const operator = UUID_PATTERN.test(id) ? await operators.findOperator(id, tx) : undefined;
    if (!operator) throw ERRORS.operatorNotFound();
    return operator;
  }

  /** Refuses a change that would leave no enabled owner (ADMIN_TOKEN may be unset). */
  async function keepAnOwner(tx: Db, operator: OperatorRow, next: { role: Role; disabled: boolean }) {
    const losesOwner = operator.role === 'owner' && operator.disabledAt === null;
    if (!losesOwner || (next.role === 'owner' && !next.disabled)) return;
    const owners = await operators.lockEnabledOwners(tx);
    if (owners.filter((id) => id !== operator.id).length === 0) {
      throw ERRORS.lastOwner(next.disabled ? 'disabled' : 'role');
    }
  }

  async function createOperator(
    input: { email: string; password: string; role: Role },
    audit?: AuditContext,
  ): Promise<OperatorResource> {
    const passwordHash = await hashSecret(input.password);
    const now = clock.now();
    return auditLog.write(audit, async (tx) => {
      const created = await operators.insertOperator(
        {
          id: randomUUID(),
          email: input.email,
          passwordHash,
          role: input.role,
          createdAt: now,
          updatedAt: now,
        },
        tx,
      );
      if (!created) {
        throw ERRORS.operatorEmailTaken();
      }
      const result = toOperatorResource(created);
      return { result, entry: operatorEntry('operator.created', created.id, null, result) };
    });
  }

  async function listOperators(query: { limit: number; cursor?: string }): Promise<Page<OperatorResource>> {
    const afterEmail = readCursor(query.cursor, (c) => c.after ?? null);
    const rows = await operators.listOperators({ limit: query.limit + 1, afterEmail });
    return toPage(rows, query.limit, toOperatorResource, (o) => ({ after: o.email.toLowerCase() }));
  }

  async function getOperator(id: string): Promise<OperatorResource> {
    return toOperatorResource(await findOperatorOrThrow(id));
  }

  /** A new role, or disabled/enabled again; never leaves the server without an enabled owner. */
  async function updateOperator(
    id: string,
    changes: { role?: Role; disabled?: boolean },
    audit?: AuditContext,
  ): Promise<OperatorResource> {
    const now = clock.now();
    return auditLog.write(audit, async (tx) => {
      const current = UUID_PATTERN.test(id) ? await operators.lockOperator(id, tx) : undefined;
      if (!current) throw ERRORS.operatorNotFound();
      const role = changes.role ?? current.role;
      const disabled = changes.disabled ?? current.disabledAt !== null;
      await keepAnOwner(tx, current, { role, disabled });
      const disabledAt = disabled ? (current.disabledAt ?? now) : null;
      const updated = await operators.updateOperator(id, { role, disabledAt }, now, tx);
      if (!updated) throw ERRORS.operatorNotFound();
      const result = toOperatorResource(updated);
      return { result, entry: operatorEntry('operator.updated', id, toOperatorResource(current), result) };
    });
  }

  /**
   * An owner's reset: a temporary password, shown only in this answer, that the operator must
   * replace at the next console sign-in. The old password stops working at once.
   */
  async function resetPassword(
    id: string,
    audit?: AuditContext,
  ): Promise<OperatorResource & { temporary_password: string }> {
    const temporary = temporaryPassword();
    const passwordHash = await hashSecret(temporary);
    const now = clock.now();
    return auditLog.write(audit, async (tx) => {
      const current = UUID_PATTERN.test(id) ? await operators.lockOperator(id, tx) : undefined;
      if (!current) throw ERRORS.operatorNotFound();
      const updated = await operators.setPassword(id, passwordHash, true, now, tx);
      if (!updated) throw ERRORS.operatorNotFound();
      const result = toOperatorResource(updated);
      return {
        result: { ...result, temporary_password: temporary },
        // The action says the password changed; its value is never recorded.
        entry: operatorEntry('operator.password_reset', id, toOperatorResource(current), result),
      };
    });
  }

  /**
   * An operator's own new password, given the current one (checked by the slow hash); clears a
   * reset's demand for a new one.
   */
  async function changeOwnPassword(
    operatorId: string,
    input: { current_password: string; new_password: string },
    audit?: AuditContext,
  ): Promise<OperatorResource> {
    const current = await findOperatorOrThrow(operatorId);
    if (!(await verifySecret(input.current_password, current.passwordHash))) {
      throw ERRORS.wrongCurrentPassword();
    }
    if (input.new_password === input.current_password) throw ERRORS.samePassword();
    const passwordHash = await hashSecret(input.new_password);
    const now = clock.now();
    return auditLog.write(audit, async (tx) => {
      const locked = await operators.lockOperator(operatorId, tx);
      // Changed meanwhile (another sign-in's change, an owner's reset): the current password no longer holds.
      if (!locked) throw ERRORS.operatorNotFound();
      if (locked.passwordHash !== current.passwordHash) throw ERRORS.wrongCurrentPassword();
      const updated = await operators.setPassword(operatorId, passwordHash, false, now, tx);
      if (!updated) throw ERRORS.operatorNotFound();
      const result = toOperatorResource(updated);
      return {
        result,
        entry: operatorEntry('operator.password_changed', operatorId, toOperatorResource(locked), result),
      };
    });
  }

  /** A new key for the operator, its value shown only in this answer; its role at most the operator's. */
  async function createApiKey(
    operatorId: string,
    input: { name: string; role?: KeyRole },
    audit?: AuditContext,
  ): Promise<ApiKeyResource & { key: string }> {
    const id = newApiKeyId();
    const secret = randomId(32);
    const now = clock.now();
    return auditLog.write(audit, async (tx) => {
      const operator = await findOperatorOrThrow(operatorId, tx);
      const role = input.role ?? operator.role;
      // A meter key may post usage, an editor's right (CONTRACT §12).
      if (lowerRole(role, operator.role) !== role) {
        throw ERRORS.keyRoleAboveOperator(operator.role);
      }
      const created = await operators.insertApiKey(
        { id, operatorId: operator.id, name: input.name, role, secretHash: sha256(secret), createdAt: now },
        tx,
      );
      const resource = toApiKeyResource(created);
      return {
        result: { ...resource, key: `adk_${id}.${secret}` },
        entry: {
          action: 'api_key.created',
          objectType: 'api_key',
          objectId: id,
          changes: changesBetween(null, resource),
        },
      };
    });
  }

  async function listApiKeys(
    operatorId: string,
    query: { limit: number; cursor?: string },
  ): Promise<Page<ApiKeyResource>> {
    await findOperatorOrThrow(operatorId);
    const key = readTimeKeyCursor(query.cursor, KEY_ID);
    const before = key && { at: new Date(key.at), id: key.id };
    const rows = await operators.listApiKeys(operatorId, { limit: query.limit + 1, before });
    return toPage(rows, query.limit, toApiKeyResource, (k) => timeKeyCursor(k.createdAt, k.id));
  }

  /** Revokes a live key: it stops working at once. A revoked or unknown one answers 404. */
  async function revokeApiKey(
    operatorId: string,
    keyId: string,
    audit?: AuditContext,
  ): Promise<ApiKeyResource> {
    const now = clock.now();
    return auditLog.write(audit, async (tx) => {
      await findOperatorOrThrow(operatorId, tx);
      const revoked = KEY_ID.test(keyId)
        ? await operators.revokeApiKey(operatorId, keyId, now, tx)
        : undefined;
      if (!revoked) throw ERRORS.apiKeyNotFound();
      const result = toApiKeyResource(revoked);
      return {
        result,
        entry: {
          action: 'api_key.revoked',
          objectType: 'api_key',
          objectId: keyId,
          changes: changesBetween({ ...result, revoked_at: null }, result),
        },
      };
    });
  }

  /**
   * The caller an API key proves, or null (malformed, unknown, wrong secret, revoked, or its
   * operator disabled). The secret is compared in constant time; the role is the lower of the
   * key's and the operator's current one.
   */
  async function verifyApiKey(value: string): Promise<AdminActor | null> {
    const match = API_KEY.exec(value);
    if (!match) return null;
    const [, id, secret] = match as unknown as [string, string, string];
    const key = await operators.findApiKeyWithOperator(id);
    if (!key || !secretMatches(secret, key.secretHash)) return null;
    if (key.revokedAt !== null || key.operatorDisabledAt !== null) return null;
    // A meter key of an operator demoted below editor works no more (CONTRACT §12).
    const role = lowerRole(key.role, key.operatorRole);
    if (role === null) return null;
    await operators.touchApiKey(id, clock.now());
    return { kind: 'api_key', operatorId: key.operatorId, email: key.operatorEmail, apiKeyId: key.id, role };
  }

  /**
   * The console's sign-in check: the operator whose email and password these are, or null.
   * Always runs the slow hash (a dummy one for unknown emails), so timing reveals nothing.
   */
  async function verifyPassword(email: string, password: string): Promise<OperatorRow | null> {
    const operator = email.length <= 320 ? await operators.findOperatorByEmail(email.trim()) : undefined;
    const ok = await verifySecret(password, operator?.passwordHash);
    return operator && ok && operator.disabledAt === null ? operator : null;
  }

  return {
    createOperator,
    listOperators,
    getOperator,
    updateOperator,
    resetPassword,
    changeOwnPassword,
    createApiKey,
    listApiKeys,
    revokeApiKey,
    verifyApiKey,
    verifyPassword,
  };
}

export type OperatorService = ReturnType<typeof createOperatorService>;
