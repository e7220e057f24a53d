import { z } from 'zod';
import { ERRORS } from '../errors.js';
import { ListQuerySchema } from '../pagination.js';
import { UUID_PATTERN } from '../rules/enrollment-id.js';
import { DateTimeSchema } from '../schemas.js';
import type { AuditFilter } from './repository.js';

export const AuditLogQuerySchema = ListQuerySchema.extend({
  /** An operator's id or email, or `admin_token` for the bootstrap token. */
  actor: z.string().min(1).max(320).optional(),
  action: z.string().min(1).max(100).optional(),
  object_type: z.string().min(1).max(100).optional(),
  object_id: z.string().min(1).max(200).optional(),
  since: DateTimeSchema.optional(),
  until: DateTimeSchema.optional(),
});

export const AuditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({
    kind: z.enum(['admin_token', 'api_key', 'session']),
    operator_id: z.string().nullable(),
    email: z.string().nullable(),
    api_key_id: z.string().nullable(),
  }),
  action: z.string(),
  object_type: z.string(),
  object_id: z.string(),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
  request_id: z.string(),
  via: z.enum(['api', 'console']),
});

/** The list's filters from its query: `actor` is an operator id, an email or `admin_token`. */
export function auditFilterOf(query: {
  actor?: string;
  action?: string;
  object_type?: string;
  object_id?: string;
  since?: Date;
  until?: Date;
}): AuditFilter {
  const filter: AuditFilter = {
    action: query.action,
    objectType: query.object_type,
    objectId: query.object_id,
    since: query.since,
    until: query.until,
  };
  const actor = query.actor?.trim();
  if (actor === undefined || actor === '') return filter;
  if (actor === 'admin_token') return { ...filter, actorKind: 'admin_token' };
  if (UUID_PATTERN.test(actor)) return { ...filter, actorOperatorId: actor };
  if (actor.includes('@')) return { ...filter, actorEmail: actor };
  throw ERRORS.invalidActorFilter();
}
