// The operator's partners (CONTRACT §6): registration, changes (name, redirect URIs, scopes,
// disabling) and client-secret rotation, each with its audit entry (CONTRACT §11) in the same
// transaction. The secret is shown once and stored
// only as a slow hash; the audit log records that it changed, never its value.
import { randomUUID } from 'node:crypto';
import {
  type AuditChanges,
  type AuditContext,
  type AuditEntry,
  type AuditLog,
  changesBetween,
} from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { ERRORS } from '../errors.js';
import { type Page, readCursor, toPage } from '../pagination.js';
import { UUID_PATTERN } from '../rules/enrollment-id.js';
import { toRfc3339 } from '../rules/time.js';
import type { PartnerRow, PartnersRepository } from './partners-repository.js';
import { SCOPES, type Scope } from './scopes.js';
import { hashSecret, randomId } from './secrets.js';

export const toPartnerResource = (p: PartnerRow) => ({
  id: p.id,
  name: p.name,
  client_id: p.clientId,
  redirect_uris: p.redirectUris,
  scopes: p.scopes,
  sandbox: p.sandbox,
  status: partnerStatus(p),
  created_at: toRfc3339(p.createdAt),
});

/** `disabled`: its tokens and client credentials are refused; its enrollments are kept. */
export type PartnerStatus = 'enabled' | 'disabled';
export const partnerStatus = (p: Pick<PartnerRow, 'disabledAt'>): PartnerStatus =>
  p.disabledAt ? 'disabled' : 'enabled';

export type PartnerResource = ReturnType<typeof toPartnerResource>;

/** The audit entry of a partner's change (`{}`: one with nothing to show, a rotated secret). */
const partnerEntry = (action: string, id: string, changes: AuditChanges): AuditEntry => ({
  action,
  objectType: 'partner',
  objectId: id,
  changes,
});

export interface NewPartnerInput {
  name: string;
  redirect_uris: string[];
  scopes?: readonly Scope[];
  sandbox?: boolean;
}

/** PATCH /admin/v1/partners/{id}: the fields given change, the others stay. */
export interface PartnerChanges {
  name?: string;
  redirect_uris?: string[];
  scopes?: readonly Scope[];
  status?: PartnerStatus;
}

const newClientSecret = () => `cs_${randomId(32)}`;

export function createPartnerService(deps: {
  clock: Clock;
  partners: PartnersRepository;
  auditLog: AuditLog;
}) {
  const { clock, partners, auditLog } = deps;

  async function createPartner(
    input: NewPartnerInput,
    audit?: AuditContext,
  ): Promise<PartnerResource & { client_secret: string }> {
    const clientSecret = newClientSecret();
    const clientSecretHash = await hashSecret(clientSecret);
    return auditLog.write(audit, async (tx) => {
      const partner = await partners.insert(
        {
          id: randomUUID(),
          name: input.name,
          clientId: `ci_${randomId(16)}`,
          clientSecretHash,
          redirectUris: input.redirect_uris,
          scopes: [...(input.scopes ?? SCOPES)].sort(),
          sandbox: input.sandbox ?? false,
          createdAt: clock.now(),
        },
        tx,
      );
      const resource = toPartnerResource(partner);
      return {
        result: { ...resource, client_secret: clientSecret },
        entry: partnerEntry('partner.created', partner.id, changesBetween(null, resource)),
      };
    });
  }

  async function listPartners(query: { limit: number; cursor?: string }): Promise<Page<PartnerResource>> {
    const after = readCursor(query.cursor, (c) =>
      typeof c.name === 'string' && c.id && UUID_PATTERN.test(c.id) ? { name: c.name, id: c.id } : null,
    );
    const rows = await partners.list({ limit: query.limit + 1, after });
    return toPage(rows, query.limit, toPartnerResource, (p) => ({ name: p.name, id: p.id }));
  }

  async function getPartner(id: string): Promise<PartnerResource> {
    const partner = UUID_PATTERN.test(id) ? await partners.findById(id) : undefined;
    if (!partner) throw ERRORS.partnerNotFound();
    return toPartnerResource(partner);
  }

  /**
   * Changes a partner's name, redirect URIs, scopes or status, with one audit entry holding
   * the before and after of the fields that changed (as a promotion's update does). Disabling refuses its tokens and client
   * credentials at once (the token statements read the partner's state with the token row);
   * enabling again restores them, and its enrollments are never touched.
   */
  async function updatePartner(
    id: string,
    input: PartnerChanges,
    audit?: AuditContext,
  ): Promise<PartnerResource> {
    if (!UUID_PATTERN.test(id)) throw ERRORS.partnerNotFound();
    return auditLog.write(audit, async (tx) => {
      const before = await partners.lockById(id, tx);
      if (!before) throw ERRORS.partnerNotFound();
      const changes: Parameters<PartnersRepository['update']>[1] = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.redirect_uris !== undefined) changes.redirectUris = input.redirect_uris;
      if (input.scopes !== undefined) changes.scopes = [...input.scopes].sort();
      if (input.status !== undefined && input.status !== partnerStatus(before)) {
        changes.disabledAt = input.status === 'disabled' ? clock.now() : null;
      }
      const after = Object.keys(changes).length > 0 ? await partners.update(id, changes, tx) : before;
      const resource = toPartnerResource(after ?? before);
      return {
        result: resource,
        entry: partnerEntry('partner.updated', id, changesBetween(toPartnerResource(before), resource)),
      };
    });
  }

  /**
   * A new client secret, shown only in this answer; the old one stops working at once (tokens
   * already issued keep theirs until they expire or are revoked).
   */
  async function rotatePartnerSecret(
    id: string,
    audit?: AuditContext,
  ): Promise<PartnerResource & { client_secret: string }> {
    if (!UUID_PATTERN.test(id)) throw ERRORS.partnerNotFound();
    const clientSecret = newClientSecret();
    const clientSecretHash = await hashSecret(clientSecret);
    return auditLog.write(audit, async (tx) => {
      const partner = await partners.setSecretHash(id, clientSecretHash, tx);
      if (!partner) throw ERRORS.partnerNotFound();
      return {
        result: { ...toPartnerResource(partner), client_secret: clientSecret },
        // The action says the secret changed; its value is never recorded.
        entry: partnerEntry('partner.secret_rotated', id, {}),
      };
    });
  }

  return { createPartner, listPartners, getPartner, updatePartner, rotatePartnerSecret };
}

export type PartnerService = ReturnType<typeof createPartnerService>;
