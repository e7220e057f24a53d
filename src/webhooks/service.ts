// The rules of CONTRACT §8's API: ownership (another partner's endpoint or event is 404), the
// SSRF check at creation and on every URL change, secrets shown only at create and rotate.
import { randomBytes } from 'node:crypto';
import { type AuditContext, type AuditLog, changesBetween } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { EVENT_ID_PATTERN } from '../db/ids.js';
import { ERRORS } from '../errors.js';
import { EVENT_TYPES } from '../events/event-types.js';
import type { EventFeed, EventRow } from '../events/repository.js';
import {
  afterIdCursor,
  type CursorPayload,
  readAfterId,
  readTimeKeyCursor,
  timeKeyCursor,
  toPage,
} from '../pagination.js';
import { UUID_PATTERN } from '../rules/enrollment-id.js';
import { toRfc3339 } from '../rules/time.js';
import type { DeliveriesRepository, DeliveryRow, DeliveryStatus } from './deliveries-repository.js';
import type { EndpointChanges, EndpointRow, EndpointsRepository } from './endpoints-repository.js';
import { generateSecret } from './signer.js';
import { checkWebhookUrl, type Resolver, UnsafeUrlError } from './ssrf.js';

/** The previous secret keeps signing this long after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

const endpointNotFound = ERRORS.webhookEndpointNotFound;
const eventNotFound = ERRORS.eventNotFound;
const ENDPOINT_ID = /^we_[A-Za-z0-9]{1,64}$/;

export const toEndpointResource = (e: EndpointRow) => ({
  id: e.id,
  url: e.url,
  event_types: e.eventTypes,
  description: e.description,
  status: e.status,
  disabled_reason: e.disabledReason,
  created_at: toRfc3339(e.createdAt),
  updated_at: toRfc3339(e.updatedAt),
});

export const toDeliveryResource = (d: DeliveryRow) => ({
  id: d.id,
  event_id: d.eventId,
  type: d.type,
  status: d.status,
  attempts: d.attempts.map((a) => ({
    at: toRfc3339(a.at),
    response_status: a.responseStatus,
    error: a.error,
    duration_ms: a.durationMs,
  })),
  next_attempt_at: d.status === 'pending' ? toRfc3339(d.nextAttemptAt) : null,
  created_at: toRfc3339(d.createdAt),
});

export const toEventResource = (e: EventRow) => ({
  id: e.id,
  type: e.type,
  timestamp: toRfc3339(e.occurredAt),
  data: e.data,
});

// Cursors: endpoints page by id; deliveries (newest first) and events by (created_at, id).
function createdCursor(row: DeliveryRow | EventRow): CursorPayload {
  return timeKeyCursor(row.createdAt, row.id);
}

export const newEndpointId = () => `we_${randomBytes(12).toString('hex')}`;

export function createWebhookService(deps: {
  endpoints: EndpointsRepository;
  deliveries: Pick<DeliveriesRepository, 'listDeliveries' | 'redeliver'>;
  eventFeed: EventFeed;
  clock: Clock;
  allowPrivateUrls: boolean;
  resolve?: Resolver;
  /** CONTRACT §11: an operator's changes (the admin mirror, the console) are audited in their transaction. */
  auditLog: AuditLog;
}) {
  const { endpoints, deliveries: deliveryQueue, eventFeed, clock, auditLog } = deps;
  const endpointEntry = (action: string, id: string, changes = {}) => ({
    action: `webhook_endpoint.${action}`,
    objectType: 'webhook_endpoint',
    objectId: id,
    changes,
  });

  async function checkUrl(url: string): Promise<string> {
    try {
      return (await checkWebhookUrl(url, { allowPrivate: deps.allowPrivateUrls, resolve: deps.resolve }))
        .href;
    } catch (err) {
      if (err instanceof UnsafeUrlError) throw ERRORS.unsafeWebhookUrl(err.message);
      throw err;
    }
  }

  async function ownEndpoint(partnerId: string, id: string): Promise<EndpointRow> {
    const endpoint = ENDPOINT_ID.test(id) ? await endpoints.findEndpoint(partnerId, id) : undefined;
    if (!endpoint) throw endpointNotFound();
    return endpoint;
  }

  async function create(
    partnerId: string,
    input: { url: string; event_types?: string[]; description?: string | null },
    audit?: AuditContext,
  ) {
    const url = await checkUrl(input.url);
    const secret = generateSecret();
    return auditLog.write(audit, async (tx) => {
      const endpoint = await endpoints.insertEndpoint(
        {
          id: newEndpointId(),
          partnerId,
          url,
          eventTypes: input.event_types ?? [...EVENT_TYPES],
          description: input.description ?? null,
          secret,
          now: clock.now(),
        },
        tx,
      );
      const resource = toEndpointResource(endpoint);
      return {
        result: { ...resource, secret },
        entry: endpointEntry('created', endpoint.id, {
          partner_id: { before: null, after: partnerId },
          ...changesBetween(null, resource),
        }),
      };
    });
  }

  async function get(partnerId: string, id: string) {
    return toEndpointResource(await ownEndpoint(partnerId, id));
  }

  async function list(partnerId: string, query: { limit: number; cursor?: string }) {
    const afterId = readAfterId(query.cursor);
    const rows = await endpoints.listEndpoints(partnerId, { limit: query.limit, afterId });
    return toPage(rows, query.limit, toEndpointResource, afterIdCursor);
  }

  async function update(
    partnerId: string,
    id: string,
    input: {
      url?: string;
      event_types?: string[];
      description?: string | null;
      status?: 'enabled' | 'disabled';
    },
    audit?: AuditContext,
  ) {
    await ownEndpoint(partnerId, id);
    const changes: EndpointChanges = {
      url: input.url === undefined ? undefined : await checkUrl(input.url),
      eventTypes: input.event_types,
      description: input.description,
      status: input.status,
    };
    return auditLog.write(audit, async (tx) => {
      const before = await endpoints.findEndpoint(partnerId, id, tx);
      const updated = await endpoints.updateEndpoint(partnerId, id, changes, clock.now(), tx);
      if (!before || !updated) throw endpointNotFound();
      const result = toEndpointResource(updated);
      return {
        result,
        entry: endpointEntry('updated', id, changesBetween(toEndpointResource(before), result)),
      };
    });
  }

  async function remove(partnerId: string, id: string, audit?: AuditContext): Promise<void> {
    if (!ENDPOINT_ID.test(id)) throw endpointNotFound();
    await auditLog.write(audit, async (tx) => {
      if (!(await endpoints.deleteEndpoint(partnerId, id, clock.now(), tx))) throw endpointNotFound();
      return { result: undefined, entry: endpointEntry('deleted', id) };
    });
  }

  async function rotateSecret(partnerId: string, id: string, audit?: AuditContext) {
    if (!ENDPOINT_ID.test(id)) throw endpointNotFound();
    const secret = generateSecret();
    const now = clock.now();
    return auditLog.write(audit, async (tx) => {
      const until = new Date(now.getTime() + ROTATION_OVERLAP_MS);
      if (!(await endpoints.rotateSecret(partnerId, id, secret, now, until, tx))) throw endpointNotFound();
      // The action says the secret changed; its value is never recorded.
      return { result: { secret }, entry: endpointEntry('secret_rotated', id) };
    });
  }

  async function deliveries(
    partnerId: string,
    id: string,
    query: { limit: number; cursor?: string; status?: DeliveryStatus },
  ) {
    await ownEndpoint(partnerId, id);
    const before = readTimeKeyCursor(query.cursor, UUID_PATTERN);
    const rows = await deliveryQueue.listDeliveries(id, { limit: query.limit, status: query.status, before });
    return toPage(rows, query.limit, toDeliveryResource, createdCursor);
  }

  async function events(
    partnerId: string,
    query: { limit: number; cursor?: string; type?: string; since?: Date },
  ) {
    const after = readTimeKeyCursor(query.cursor, EVENT_ID_PATTERN);
    const rows = await eventFeed.listEvents(
      partnerId,
      { limit: query.limit, type: query.type, since: query.since, after },
      clock.now(),
    );
    return toPage(rows, query.limit, toEventResource, createdCursor);
  }

  async function redeliver(partnerId: string, eventId: string, audit?: AuditContext) {
    if (!EVENT_ID_PATTERN.test(eventId)) throw eventNotFound();
    return auditLog.write(audit, async (tx) => {
      const count = await deliveryQueue.redeliver(partnerId, eventId, clock.now(), tx);
      if (count === undefined) throw eventNotFound();
      return {
        result: { event_id: eventId, deliveries: count },
        entry: {
          action: 'event.redelivered',
          objectType: 'event',
          objectId: eventId,
          changes: { deliveries: { before: null, after: count } },
        },
      };
    });
  }

  // checkUrl: the SSRF rule of CONTRACT §8 on a URL, for the bootstrap file (CONTRACT §10) too.
  return { checkUrl, create, get, list, update, remove, rotateSecret, deliveries, events, redeliver };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
