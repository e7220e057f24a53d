// CONTRACT §10: the planner. Compares a validated bootstrap document with the database and
// says, per object, what applying it does: created, updated (which fields), unchanged, and with
// `prune: true` deleted, ended or kept. Each planned change carries the step that makes it, run
// by the applier (apply.ts) in the planner's transaction; the planner itself writes nothing.
import { randomUUID } from 'node:crypto';
import { type AuditContext, type AuditEntry, type AuditLog, changesBetween } from '../audit/audit-log.js';
import type { AccountRow, AccountsRepository } from '../auth/accounts-repository.js';
import { partnerStatus, toPartnerResource } from '../auth/partner-service.js';
import type { PartnerRow, PartnersRepository } from '../auth/partners-repository.js';
import { toAccountResource } from '../auth/resources.js';
import { hashSecret, verifySecret } from '../auth/secrets.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { sqlState } from '../db/errors.js';
import { isApiError } from '../errors.js';
import type { PromotionChanges, PromotionsRepository, PromotionWithCount } from '../promotions/repository.js';
import { toPromotionResource } from '../promotions/resource.js';
import { toPromotionInput } from '../promotions/schemas.js';
import type { PromotionService } from '../promotions/service.js';
import type { EndpointsRepository } from '../webhooks/endpoints-repository.js';
import {
  newEndpointId,
  ROTATION_OVERLAP_MS,
  toEndpointResource,
  type WebhookService,
} from '../webhooks/service.js';
import { type BootstrapProblem, bootstrapConflict, formatPath, type ProblemPath } from './problems.js';
import type { BootstrapRepository, EndpointSummary, PruneCandidate } from './repository.js';
import type {
  BootstrapDocument,
  DeclaredAccount,
  DeclaredPartner,
  DeclaredPromotion,
  DeclaredWebhookEndpoint,
} from './schema.js';

export type BootstrapKind = 'partner' | 'account' | 'promotion' | 'webhook_endpoint';
export type BootstrapOutcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'ended' | 'kept';
export const OUTCOMES: readonly BootstrapOutcome[] = [
  'created',
  'updated',
  'unchanged',
  'deleted',
  'ended',
  'kept',
];

/** One object's outcome, as the admin API, the CLI and the start-up summary report it. */
export interface BootstrapChange {
  kind: BootstrapKind;
  /** How the file names it: client_id, email, promotion id, or `<client_id> <url>`. */
  key: string;
  /** `promotions[2]` for a declared object; null for one only `prune` touches. */
  path: string | null;
  outcome: BootstrapOutcome;
  /** The fields an update changes (secrets by their field name only). */
  fields: string[];
  /** Why prune keeps or ends it. */
  detail: string | null;
}

export interface PlannedChange {
  change: BootstrapChange;
  /** Where a failure of the step is reported (the object's path). */
  at: ProblemPath;
  /** Makes the change, in the applier's transaction; absent when there is nothing to do. */
  apply?: (tx: Db) => Promise<void>;
}

export interface BootstrapDeps {
  db: Db;
  clock: Clock;
  partners: PartnersRepository;
  accounts: AccountsRepository;
  promotions: PromotionsRepository;
  promotionService: PromotionService;
  webhooks: { repository: EndpointsRepository; service: WebhookService };
  repository: BootstrapRepository;
  auditLog: AuditLog;
}

/**
 * One apply's dependencies: the app's, and who applies it. Through the admin API every change
 * is audited in the apply's transaction (CONTRACT §11); at start (SEED_FILE) there is no actor,
 * and nothing is recorded, as for the demo seed.
 */
export type ApplyDeps = BootstrapDeps & { audit?: AuditContext };

/** Records one entry of an applied change (nothing without an actor). */
const audited = (deps: ApplyDeps, tx: Db, entry: AuditEntry) => deps.auditLog.record(tx, deps.audit, entry);
/** The entry `<objectType>.<verb>` of one object (`{}`: nothing to show, a deletion or a new secret). */
const entry = (
  objectType: string,
  verb: string,
  objectId: string,
  changes: AuditEntry['changes'] = {},
): AuditEntry => ({
  action: `${objectType}.${verb}`,
  objectType,
  objectId,
  changes,
});
const gone = (objectType: string, objectId: string) => entry(objectType, 'deleted', objectId);
/** A creation's entry: every field of the new object. */
const creation = (objectType: string, objectId: string, resource: Record<string, unknown>) =>
  entry(objectType, 'created', objectId, changesBetween(null, resource));

/** PostgreSQL's unique_violation: an external id taken by a concurrent change. */
const UNIQUE_VIOLATION = '23505';

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);
const sameSet = (a: readonly string[], b: readonly string[]) =>
  sameList([...new Set(a)].sort(), [...new Set(b)].sort());
const sameInstant = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
const enrollmentsDetail = (n: number) => `has ${n} enrollment${n === 1 ? '' : 's'}, kept for their history`;

function declared(
  kind: BootstrapKind,
  key: string,
  at: ProblemPath,
  outcome: 'created' | 'updated' | 'unchanged',
  fields: string[] = [],
  apply?: (tx: Db) => Promise<void>,
): PlannedChange {
  return { change: { kind, key, path: formatPath(at), outcome, fields, detail: null }, at, apply };
}

function unnamed(
  kind: BootstrapKind,
  key: string,
  outcome: 'deleted' | 'ended' | 'kept',
  detail: string | null,
  apply?: (tx: Db) => Promise<void>,
): PlannedChange {
  return { change: { kind, key, path: null, outcome, fields: [], detail }, at: [], apply };
}

/** What the steps of one plan share: its input, and what they found so far. */
interface Planning {
  document: BootstrapDocument;
  deps: ApplyDeps;
  tx: Db;
  now: Date;
  /** The changes, in the order the applier makes them. */
  planned: PlannedChange[];
  /** Records an object this database refuses; the plan fails with all of them at the end. */
  conflict: (path: ProblemPath, message: string) => void;
  /** The partners the file names that exist. */
  partnerRows: PartnerRow[];
  /** Every partner the file declares or exists, by client_id: its id, or the id it is created with. */
  partnerIds: Map<string, string>;
}

/** Plans the whole document; BootstrapError `bootstrap_conflict` listing every object this database refuses. */
export async function planBootstrap(
  document: BootstrapDocument,
  deps: ApplyDeps,
  tx: Db,
): Promise<PlannedChange[]> {
  const conflicts: BootstrapProblem[] = [];
  const planning: Planning = {
    document,
    deps,
    tx,
    now: deps.clock.now(),
    planned: [],
    conflict: (path, message) => conflicts.push({ path, message }),
    partnerRows: [],
    partnerIds: new Map(),
  };
  await planPartners(planning);
  await planAccounts(planning);
  await planPromotions(planning);
  const unmatchedEndpoints = await planEndpoints(planning);
  if (conflicts.length > 0) throw bootstrapConflict(conflicts);
  if (document.prune) await planPrune(planning, unmatchedEndpoints);
  return planning.planned;
}

/** The client_ids the file names: its partners', and those its promotions and endpoints refer to. */
const namedClientIds = (document: BootstrapDocument) => [
  ...new Set([
    ...document.partners.map((p) => p.client_id),
    ...[...document.promotions, ...document.webhook_endpoints].map((o) => o.partner),
  ]),
];

/** Partners, and the id of every partner the file names by client_id (declared or only referenced). */
async function planPartners(p: Planning): Promise<void> {
  p.partnerRows = await p.deps.repository.partnersByClientId(namedClientIds(p.document), p.tx);
  const existing = new Map(p.partnerRows.map((row) => [row.clientId, row]));
  p.partnerIds = new Map(p.partnerRows.map((row) => [row.clientId, row.id]));
  for (const [i, partner] of p.document.partners.entries()) {
    const row = existing.get(partner.client_id);
    if (!row) p.partnerIds.set(partner.client_id, randomUUID());
    p.planned.push(
      await planPartner(partner, ['partners', i], row, p.partnerIds.get(partner.client_id)!, p.deps),
    );
  }
}

/** The id of the partner an object names; a conflict at its `partner` when none has that client_id. */
function partnerIdOf(p: Planning, clientId: string, at: ProblemPath): string | undefined {
  const id = p.partnerIds.get(clientId);
  if (!id)
    p.conflict([...at, 'partner'], `no partner has the client_id ${clientId}: declare it under partners`);
  return id;
}

async function planAccounts(p: Planning): Promise<void> {
  const { document, deps, tx } = p;
  const accountRows = await deps.repository.accountsByEmail(
    document.accounts.map((a) => a.email),
    tx,
  );
  const accountByEmail = new Map(accountRows.map((row) => [row.email.toLowerCase(), row]));
  for (const [i, account] of document.accounts.entries()) {
    const at: ProblemPath = ['accounts', i];
    const row = accountByEmail.get(account.email.toLowerCase());
    if (row?.testClockId) {
      p.conflict(
        [...at, 'email'],
        'is the email of a test-clock account (CONTRACT §9), which a file cannot declare',
      );
      continue;
    }
    // CONTRACT §12: an external id another account holds is refused, as the admin API does.
    if (typeof account.external_id === 'string' && account.external_id !== row?.externalId) {
      const holder = await deps.accounts.findByExternalId(account.external_id, tx);
      if (holder && holder.id !== row?.id) {
        p.conflict(
          [...at, 'external_id'],
          `is the external id of another account (${holder.email}): change or clear it there first`,
        );
        continue;
      }
    }
    p.planned.push(await planAccount(account, at, row, deps));
  }
}

async function planPromotions(p: Planning): Promise<void> {
  const { document, deps, tx } = p;
  for (const [i, promotion] of document.promotions.entries()) {
    const at: ProblemPath = ['promotions', i];
    const owner = partnerIdOf(p, promotion.partner, at);
    if (!owner) continue;
    const row = await deps.promotions.findWithCount(promotion.id, tx);
    if (row && row.partnerId !== owner) {
      const current =
        p.partnerRows.find((r) => r.id === row.partnerId) ??
        (await deps.partners.findById(row.partnerId, tx));
      p.conflict(
        [...at, 'partner'],
        `promotion ${promotion.id} belongs to the partner ${current?.clientId ?? row.partnerId}, and a promotion's partner cannot change`,
      );
      continue;
    }
    const step = planPromotion(promotion, at, row, owner, p.now, deps);
    if ('conflict' in step) p.conflict(...step.conflict);
    else p.planned.push(step);
  }
}

/** Endpoints, matched by partner and url; the existing ones the file does not name (prune's). */
async function planEndpoints(p: Planning): Promise<EndpointSummary[]> {
  const { document, deps, tx } = p;
  const endpoints = await deps.repository.endpoints(
    document.prune ? 'all' : [...new Set(p.partnerIds.values())],
    tx,
  );
  const matched = new Set<string>();
  for (const [i, endpoint] of document.webhook_endpoints.entries()) {
    const at: ProblemPath = ['webhook_endpoints', i];
    const owner = partnerIdOf(p, endpoint.partner, at);
    if (!owner) continue;
    const row = endpoints.find((e) => e.partnerId === owner && e.url === endpoint.url && !matched.has(e.id));
    if (row) matched.add(row.id);
    else {
      try {
        await deps.webhooks.service.checkUrl(endpoint.url);
      } catch (err) {
        if (!isApiError(err)) throw err;
        // "url must not point at a private address." → "must not point at a private address"
        p.conflict([...at, 'url'], err.message.replace(/^url /, '').replace(/\.$/, ''));
        continue;
      }
    }
    p.planned.push(await planEndpoint(endpoint, at, row, owner, p.now, deps, tx));
  }
  return endpoints.filter((e) => !matched.has(e.id));
}

/**
 * prune: true — what the file does not name goes, except what enrollments keep (their history
 * is the audit trail, CONTRACT §3 rule 8): endpoints first, then promotions, accounts and
 * partners, so nothing is deleted before what refers to it.
 */
async function planPrune(p: Planning, unmatchedEndpoints: EndpointSummary[]): Promise<void> {
  const { document, deps, tx, now } = p;
  const unmatched = unmatchedEndpoints
    .map((e) => ({ ...e, key: `${e.clientId} ${e.url}` }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const endpoint of unmatched) {
    p.planned.push(
      unnamed('webhook_endpoint', endpoint.key, 'deleted', null, async (t) => {
        await deps.webhooks.repository.deleteEndpoint(endpoint.partnerId, endpoint.id, now, t);
        await audited(deps, t, gone('webhook_endpoint', endpoint.id));
      }),
    );
  }
  const promotionIds = document.promotions.map((promotion) => promotion.id);
  for (const promotion of await deps.repository.unnamedPromotions(promotionIds, tx)) {
    p.planned.push(prunePromotion(promotion, deps));
  }
  const emails = document.accounts.map((a) => a.email);
  for (const account of await deps.repository.unnamedAccounts(emails, tx)) {
    p.planned.push(pruneUnlessEnrolled('account', account, deps.repository.deleteAccount, deps));
  }
  for (const partner of await deps.repository.unnamedPartners(namedClientIds(document), tx)) {
    p.planned.push(pruneUnlessEnrolled('partner', partner, deps.repository.deletePartner, deps));
  }
}

/**
 * An account or partner the file does not name: deleted if nobody enrolled, otherwise kept.
 * `remove` deletes it unless enrolled meanwhile (false), which undoes the whole apply.
 */
function pruneUnlessEnrolled(
  kind: 'account' | 'partner',
  candidate: PruneCandidate,
  remove: (id: string, tx: Db) => Promise<boolean>,
  deps: ApplyDeps,
): PlannedChange {
  if (candidate.enrollments !== 0) {
    return unnamed(kind, candidate.key, 'kept', enrollmentsDetail(candidate.enrollments));
  }
  return unnamed(kind, candidate.key, 'deleted', null, async (t) => {
    if (!(await remove(candidate.id, t))) throw new Error('enrolled meanwhile');
    await audited(deps, t, gone(kind, candidate.id));
  });
}

/** A promotion the file does not name: deleted if nobody enrolled, otherwise ended, or kept ended. */
function prunePromotion(promotion: PruneCandidate, deps: ApplyDeps): PlannedChange {
  if (promotion.enrollments === 0) {
    return unnamed('promotion', promotion.key, 'deleted', null, async (t) => {
      if (!(await deps.repository.deletePromotion(promotion.id, t))) throw new Error('enrolled meanwhile');
      await audited(deps, t, gone('promotion', promotion.id));
    });
  }
  if (promotion.status !== 'ended') {
    // Ended, not deleted: its enrollments expire at once (rule 10) and stay readable.
    return unnamed(
      'promotion',
      promotion.key,
      'ended',
      enrollmentsDetail(promotion.enrollments),
      async (t) => {
        await deps.promotionService.update(promotion.id, { status: 'ended' }, deps.audit, t);
      },
    );
  }
  return unnamed('promotion', promotion.key, 'kept', enrollmentsDetail(promotion.enrollments));
}

/** A partner the file declares and the database lacks: created with the declared secret hashed. */
function partnerCreated(
  partner: DeclaredPartner,
  at: ProblemPath,
  id: string,
  scopes: string[],
  deps: ApplyDeps,
): PlannedChange {
  return declared('partner', partner.client_id, at, 'created', [], async (tx) => {
    const created = await deps.partners.insert(
      {
        id,
        name: partner.name,
        clientId: partner.client_id,
        clientSecretHash: await hashSecret(partner.client_secret),
        redirectUris: partner.redirect_uris,
        scopes,
        sandbox: partner.sandbox,
        disabledAt: partner.status === 'disabled' ? deps.clock.now() : null,
        createdAt: deps.clock.now(),
      },
      tx,
    );
    await audited(deps, tx, creation('partner', id, toPartnerResource(created)));
  });
}

async function planPartner(
  partner: DeclaredPartner,
  at: ProblemPath,
  row: PartnerRow | undefined,
  id: string,
  deps: ApplyDeps,
): Promise<PlannedChange> {
  const scopes = [...new Set(partner.scopes)].sort();
  if (!row) return partnerCreated(partner, at, id, scopes, deps);
  const changes: Parameters<PartnersRepository['update']>[1] = {};
  if (row.name !== partner.name) changes.name = partner.name;
  if (!sameList(row.redirectUris, partner.redirect_uris)) changes.redirectUris = partner.redirect_uris;
  if (!sameSet(row.scopes, scopes)) changes.scopes = scopes;
  if (row.sandbox !== partner.sandbox) changes.sandbox = partner.sandbox;
  if (partnerStatus(row) !== partner.status) {
    changes.disabledAt = partner.status === 'disabled' ? deps.clock.now() : null;
  }
  // A secret is unchanged when the declared one verifies against the stored hash.
  const secretChanged = !(await verifySecret(partner.client_secret, row.clientSecretHash));
  const fields = [...wireNames(changes, PARTNER_FIELDS), ...(secretChanged ? ['client_secret'] : [])];
  if (fields.length === 0) return declared('partner', partner.client_id, at, 'unchanged');
  return declared('partner', partner.client_id, at, 'updated', fields, async (tx) => {
    await deps.partners.update(
      row.id,
      { ...changes, ...(secretChanged ? { clientSecretHash: await hashSecret(partner.client_secret) } : {}) },
      tx,
    );
    const before = toPartnerResource(row);
    const after = toPartnerResource({ ...row, ...changes });
    if (Object.keys(changes).length > 0) {
      await audited(deps, tx, entry('partner', 'updated', row.id, changesBetween(before, after)));
    }
    // As rotate_secret: the audit log says the secret changed, never what it is.
    if (secretChanged) {
      await audited(deps, tx, entry('partner', 'secret_rotated', row.id));
    }
  });
}

const PARTNER_FIELDS = {
  name: 'name',
  redirectUris: 'redirect_uris',
  scopes: 'scopes',
  sandbox: 'sandbox',
  disabledAt: 'status',
};
const PROMOTION_FIELDS = {
  name: 'name',
  status: 'status',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  durationDays: 'duration_days',
  taskLimitPerMonth: 'task_limit_per_month',
  maxEnrollments: 'max_enrollments',
  allowReenrollment: 'allow_reenrollment',
};

/** The wire names of the changed fields, in the file's order. */
const wireNames = (changes: object, names: Record<string, string>) =>
  Object.entries(names)
    .filter(([field]) => field in changes)
    .map(([, wire]) => wire);

async function planAccount(
  account: DeclaredAccount,
  at: ProblemPath,
  row: AccountRow | undefined,
  deps: ApplyDeps,
): Promise<PlannedChange> {
  if (!row) {
    return declared('account', account.email, at, 'created', [], async (tx) => {
      const created = await deps.accounts.insert(
        {
          id: randomUUID(),
          email: account.email,
          passwordHash: await hashSecret(account.password),
          externalId: account.external_id ?? null,
          createdAt: deps.clock.now(),
        },
        tx,
      );
      if (!created) {
        const field = await deps.accounts.takenBy({ email: account.email }, tx);
        throw bootstrapConflict([{ path: [...at, field], message: 'was taken meanwhile' }]);
      }
      await audited(deps, tx, creation('account', created.id, toAccountResource(created)));
    });
  }
  const passwordChanged = !(await verifySecret(account.password, row.passwordHash));
  // Left out of the file: as it is. null clears it (CONTRACT §10, §12).
  const externalIdChanged = account.external_id !== undefined && account.external_id !== row.externalId;
  if (!passwordChanged && !externalIdChanged) return declared('account', account.email, at, 'unchanged');
  const fields = [...(passwordChanged ? ['password'] : []), ...(externalIdChanged ? ['external_id'] : [])];
  return declared('account', account.email, at, 'updated', fields, async (tx) => {
    if (passwordChanged) {
      await deps.accounts.setPasswordHash(row.id, await hashSecret(account.password), tx);
      await audited(deps, tx, entry('account', 'password_changed', row.id));
    }
    if (externalIdChanged) {
      let after: AccountRow | undefined;
      try {
        after = await deps.accounts.setExternalId(row.id, account.external_id ?? null, tx);
      } catch (err) {
        if (sqlState(err) === UNIQUE_VIOLATION) {
          throw bootstrapConflict([{ path: [...at, 'external_id'], message: 'was taken meanwhile' }]);
        }
        throw err;
      }
      const changes = changesBetween(toAccountResource(row), toAccountResource(after ?? row));
      await audited(deps, tx, entry('account', 'updated', row.id, changes));
    }
  });
}

function planPromotion(
  promotion: DeclaredPromotion,
  at: ProblemPath,
  row: PromotionWithCount | undefined,
  partnerId: string,
  now: Date,
  deps: ApplyDeps,
): PlannedChange | { conflict: [ProblemPath, string] } {
  // Every field of the file, an absent one at its default (the file is the whole state).
  const wanted = toPromotionInput({ ...promotion, partner_id: partnerId });
  if (!row) {
    return declared('promotion', promotion.id, at, 'created', [], async (tx) => {
      const created = await deps.promotions.insert({ ...wanted, createdAt: now, updatedAt: now }, tx);
      if (!created) throw bootstrapConflict([{ path: [...at, 'id'], message: 'was taken meanwhile' }]);
      await audited(
        deps,
        tx,
        creation('promotion', created.id, toPromotionResource({ ...created, displayedCount: 0 })),
      );
    });
  }
  if (wanted.maxEnrollments !== null && wanted.maxEnrollments < row.displayedCount) {
    return {
      conflict: [
        [...at, 'max_enrollments'],
        `is below the ${row.displayedCount} enrollments promotion ${promotion.id} already has`,
      ],
    };
  }
  const changes: PromotionChanges = {};
  if (row.name !== wanted.name) changes.name = wanted.name;
  if (row.status !== wanted.status) changes.status = wanted.status;
  if (!sameInstant(row.startsAt, wanted.startsAt)) changes.startsAt = wanted.startsAt;
  // CONTRACT §3 rule 10: ending a promotion sets ends_at to the instant it ended. So for an ended
  // promotion an absent or later ends_at keeps that instant (otherwise every apply would end
  // it again, at a new now), and a promotion being ended without one ends now.
  const endsAt = promotion.ends_at === undefined ? undefined : wanted.endsAt;
  const keepsItsEnd =
    wanted.status === 'ended' &&
    (endsAt === undefined ||
      (row.status === 'ended' &&
        (endsAt === null || (row.endsAt !== null && endsAt.getTime() >= row.endsAt.getTime()))));
  if (!keepsItsEnd && !sameInstant(row.endsAt, wanted.endsAt)) changes.endsAt = wanted.endsAt;
  if (row.durationDays !== wanted.durationDays) changes.durationDays = wanted.durationDays;
  if (row.taskLimitPerMonth !== wanted.taskLimitPerMonth)
    changes.taskLimitPerMonth = wanted.taskLimitPerMonth;
  if (row.maxEnrollments !== wanted.maxEnrollments) changes.maxEnrollments = wanted.maxEnrollments;
  if (row.allowReenrollment !== wanted.allowReenrollment)
    changes.allowReenrollment = wanted.allowReenrollment;
  const fields = wireNames(changes, PROMOTION_FIELDS);
  if (fields.length === 0) return declared('promotion', promotion.id, at, 'unchanged');
  // Through the admin API's own rules: the window check, the budget guard, rule 10's expiries
  // and the promotion.ended event, in the applier's transaction.
  return declared('promotion', promotion.id, at, 'updated', fields, async (tx) => {
    await deps.promotionService.update(promotion.id, changes, deps.audit, tx);
  });
}

/** An endpoint the file declares and its partner lacks: created with the declared secret (and status). */
function endpointCreated(
  endpoint: DeclaredWebhookEndpoint,
  key: string,
  at: ProblemPath,
  partnerId: string,
  eventTypes: string[],
  now: Date,
  deps: ApplyDeps,
): PlannedChange {
  const { repository } = deps.webhooks;
  return declared('webhook_endpoint', key, at, 'created', [], async (t) => {
    const created = await repository.insertEndpoint(
      {
        id: newEndpointId(),
        partnerId,
        url: endpoint.url,
        eventTypes,
        description: endpoint.description,
        secret: endpoint.secret,
        now,
      },
      t,
    );
    const resource =
      endpoint.status === 'disabled'
        ? toEndpointResource(
            (await repository.updateEndpoint(partnerId, created.id, { status: 'disabled' }, now, t))!,
          )
        : toEndpointResource(created);
    await audited(
      deps,
      t,
      entry('webhook_endpoint', 'created', created.id, {
        partner_id: { before: null, after: partnerId },
        ...changesBetween(null, resource),
      }),
    );
  });
}

async function planEndpoint(
  endpoint: DeclaredWebhookEndpoint,
  at: ProblemPath,
  row: EndpointSummary | undefined,
  partnerId: string,
  now: Date,
  deps: ApplyDeps,
  tx: Db,
): Promise<PlannedChange> {
  const key = `${endpoint.partner} ${endpoint.url}`;
  const eventTypes = [...new Set(endpoint.event_types)];
  const { repository } = deps.webhooks;
  if (!row) return endpointCreated(endpoint, key, at, partnerId, eventTypes, now, deps);
  const changes: { eventTypes?: string[]; description?: string | null; status?: 'enabled' | 'disabled' } = {};
  if (!sameSet(row.eventTypes, eventTypes)) changes.eventTypes = eventTypes;
  if (row.description !== endpoint.description) changes.description = endpoint.description;
  if (row.status !== endpoint.status) changes.status = endpoint.status;
  const secretChanged = (await repository.currentSecret(row.id, tx)) !== endpoint.secret;
  const fields = [
    ...wireNames(changes, { eventTypes: 'event_types', description: 'description', status: 'status' }),
    ...(secretChanged ? ['secret'] : []),
  ];
  if (fields.length === 0) return declared('webhook_endpoint', key, at, 'unchanged');
  return declared('webhook_endpoint', key, at, 'updated', fields, async (t) => {
    if (Object.keys(changes).length > 0) {
      const updated = await repository.updateEndpoint(partnerId, row.id, changes, now, t);
      const before = { event_types: row.eventTypes, description: row.description, status: row.status };
      const after = {
        event_types: updated!.eventTypes,
        description: updated!.description,
        status: updated!.status,
      };
      await audited(deps, t, entry('webhook_endpoint', 'updated', row.id, changesBetween(before, after)));
    }
    // As rotate_secret: the old secret keeps signing beside the new one for 24 h.
    if (secretChanged) {
      await repository.rotateSecret(
        partnerId,
        row.id,
        endpoint.secret,
        now,
        new Date(now.getTime() + ROTATION_OVERLAP_MS),
        t,
      );
      await audited(deps, t, entry('webhook_endpoint', 'secret_rotated', row.id));
    }
  });
}
