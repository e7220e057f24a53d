// CONTRACT §11: the admin audit log. Every admin write (API, CLI, console) records who did it,
// what and to which object, the before/after of the fields it changed (never a secret), the
// request id and the time — in the transaction of the change itself, so a 2xx'd change always
// has its entry and a rolled-back one never does. Services take an optional AuditContext and
// call `record(tx, context, entry)` inside their transaction; without a context (the partners'
// /v2 API, the seed) nothing is recorded.
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { timeOrderedUuid } from '../db/ids.js';
import { type Page, readCursor, toPage } from '../pagination.js';
import type { AdminActor } from '../rules/roles.js';
import { toRfc3339 } from '../rules/time.js';
import type { AuditFilter, AuditRepository, AuditRow } from './repository.js';

export type AuditVia = 'api' | 'console';

/** Who is writing, through what, in which request. */
export interface AuditContext {
  actor: AdminActor;
  requestId: string;
  via: AuditVia;
}

export type AuditChanges = Record<string, { before: unknown; after: unknown }>;

export interface AuditEntry {
  /** `<object type>.<past tense>`, e.g. `promotion.updated`, `partner.secret_rotated`. */
  action: string;
  objectType: string;
  objectId: string;
  /** Only the fields that changed; `{}` for an action with nothing to show (a rotated secret). */
  changes: AuditChanges;
}

/** Field names that may carry a secret: never recorded, whatever a caller passes. */
const SECRET_FIELD = /secret|password|hash|token/i;
/** Bookkeeping that changes with every write and says nothing about it. */
const BOOKKEEPING = new Set(['created_at', 'updated_at']);

const canonical = (value: unknown): string =>
  JSON.stringify(value instanceof Date ? toRfc3339(value) : value);
const plain = (value: unknown): unknown => (value instanceof Date ? toRfc3339(value) : (value ?? null));

/**
 * `{field: {before, after}}` for the fields of `after` whose value differs from `before`'s
 * (deep, by JSON). A creation passes `before: null`: every field is new. Secrets and
 * timestamps of bookkeeping are left out.
 */
export function changesBetween(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): AuditChanges {
  const changes: AuditChanges = {};
  for (const [field, value] of Object.entries(after)) {
    if (BOOKKEEPING.has(field) || SECRET_FIELD.test(field)) continue;
    const previous = before === null ? null : before[field];
    if (before !== null && canonical(previous ?? null) === canonical(value ?? null)) continue;
    changes[field] = { before: plain(previous), after: plain(value) };
  }
  return changes;
}

/** Drops any secret-looking field a caller put in (defence in depth; changesBetween never does). */
function withoutSecrets(changes: AuditChanges): AuditChanges {
  return Object.fromEntries(Object.entries(changes).filter(([field]) => !SECRET_FIELD.test(field)));
}

export function toAuditResource(row: AuditRow) {
  return {
    id: row.id,
    at: toRfc3339(row.at),
    actor: {
      kind: row.actorKind,
      operator_id: row.actorOperatorId,
      email: row.actorEmail,
      api_key_id: row.actorApiKeyId,
    },
    action: row.action,
    object_type: row.objectType,
    object_id: row.objectId,
    changes: row.changes,
    request_id: row.requestId,
    via: row.via,
  };
}

export type AuditResource = ReturnType<typeof toAuditResource>;

export interface AuditListQuery extends AuditFilter {
  limit: number;
  cursor?: string;
}

export function createAuditLog(deps: { db: Db; clock: Clock; repository: AuditRepository }) {
  const { db, clock, repository } = deps;

  /** Writes one entry in `tx`, the transaction of the change; nothing without a context. */
  async function record(tx: Db, context: AuditContext | undefined, entry: AuditEntry): Promise<void> {
    if (!context) return;
    const { actor } = context;
    await repository.insert(
      {
        id: timeOrderedUuid(),
        at: clock.now(),
        actorKind: actor.kind,
        actorOperatorId: actor.operatorId,
        actorEmail: actor.email,
        actorApiKeyId: actor.apiKeyId,
        action: entry.action,
        objectType: entry.objectType,
        objectId: entry.objectId,
        changes: withoutSecrets(entry.changes),
        requestId: context.requestId,
        via: context.via,
      },
      tx,
    );
  }

  /**
   * A change that is one call of a repository: runs `work` in a transaction and records the
   * entry it describes in the same one.
   */
  async function write<T>(
    context: AuditContext | undefined,
    work: (tx: Db) => Promise<{ result: T; entry: AuditEntry }>,
  ): Promise<T> {
    return db.transaction(async (tx) => {
      const { result, entry } = await work(tx);
      await record(tx, context, entry);
      return result;
    });
  }

  /** A page of entries, newest first (keyset on `seq`). */
  async function list(query: AuditListQuery): Promise<Page<AuditResource>> {
    const beforeSeq = readCursor(query.cursor, (c) =>
      c.before && /^\d{1,18}$/.test(c.before) ? Number(c.before) : null,
    );
    const rows = await repository.list(query, { limit: query.limit + 1, beforeSeq });
    return toPage(rows, query.limit, toAuditResource, (e) => ({ before: String(e.seq) }));
  }

  return { record, write, list };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
