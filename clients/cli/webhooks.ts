// CLI commands for a partner's webhooks (CONTRACT §8): `webhooks create|list|update|delete|rotate|
// deliveries` and `events list|redeliver`, over the admin mirror
// /admin/v1/partners/{id}/webhook_endpoints, listed in admin.ts's COMMANDS. The endpoint's URL
// is --endpoint-url, since --url is the server's.
import {
  WEBHOOK_EVENT_TYPES as EVENT_TYPES,
  isWebhookEventType,
  type WebhookDeliveryList,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
  type WebhookEndpointCreate,
  type WebhookEventType,
} from '../typescript/src/index.js';
import {
  type Commands,
  defined,
  instant,
  integer,
  list,
  more,
  required,
  str,
  UsageError,
  type Values,
} from './command.js';
import { type Cell, record, table } from './table.js';

const PAGE = { limit: { type: 'string' }, cursor: { type: 'string' } } as const;
const PARTNER = { partner: { type: 'string' } } as const;

const page = (values: Values) =>
  defined({ limit: integer(values, 'limit') ?? undefined, cursor: str(values, 'cursor') });

function eventTypes(values: Values): WebhookEventType[] | undefined {
  const types = list(values, 'event-type');
  const unknown = types?.find((t) => !isWebhookEventType(t));
  if (unknown)
    throw new UsageError(`--event-type must be one of ${EVENT_TYPES.join(', ')}, not "${unknown}"`);
  return types as WebhookEventType[] | undefined;
}

function status<T extends string>(values: Values, allowed: readonly T[]): T | undefined {
  const value = str(values, 'status');
  if (value !== undefined && !allowed.includes(value as T))
    throw new UsageError(`--status must be one of ${allowed.join(', ')}, not "${value}"`);
  return value as T | undefined;
}

const endpointRecord = (e: WebhookEndpoint, extra: [string, Cell][] = []) =>
  record([
    ['id', e.id],
    ['url', e.url],
    ['event_types', e.event_types.join(' ')],
    ['description', e.description],
    ['status', e.disabled_reason ? `${e.status} (${e.disabled_reason})` : e.status],
    ['created_at', e.created_at],
    ['updated_at', e.updated_at],
    ...extra,
  ]);

const secretHint = 'shown only now: the receiver verifies deliveries with it';

export const webhookCommands: Commands = {
  'webhooks create': {
    usage:
      'webhooks create --partner <id> --endpoint-url <url> [--event-type <type>…] [--description <text>]',
    summary: "Register a partner's webhook endpoint; prints its signing secret once",
    options: {
      ...PARTNER,
      'endpoint-url': { type: 'string' },
      'event-type': { type: 'string', multiple: true },
      description: { type: 'string' },
    },
    async run(admin, values) {
      const body: WebhookEndpointCreate = defined({
        url: required(values, 'endpoint-url'),
        event_types: eventTypes(values),
        description: str(values, 'description'),
      });
      const e = await admin.webhooks(required(values, 'partner')).create(body);
      return {
        json: e,
        text: `${endpointRecord(e, [['secret', e.secret]])}\n\nThe secret is ${secretHint}.`,
      };
    },
  },
  'webhooks list': {
    usage: 'webhooks list --partner <id> [--limit N] [--cursor C]',
    summary: "A partner's webhook endpoints",
    options: { ...PARTNER, ...PAGE },
    async run(admin, values) {
      const partner = required(values, 'partner');
      const p = await admin.webhooks(partner).list(page(values));
      return {
        json: p,
        text:
          table(
            ['ID', 'STATUS', 'EVENT TYPES', 'URL'],
            p.data.map((e) => [
              e.id,
              e.status,
              e.event_types.length === EVENT_TYPES.length ? 'all' : e.event_types.join(' '),
              e.url,
            ]),
          ) + more(p.next_cursor, `webhooks list --partner ${partner}`),
      };
    },
  },
  'webhooks update': {
    usage:
      'webhooks update <endpoint_id> --partner <id> [--endpoint-url <url>] [--event-type <type>…] [--description <text>] [--status enabled|disabled]',
    summary: 'Change a webhook endpoint; --status enabled resumes its pending deliveries',
    options: {
      ...PARTNER,
      'endpoint-url': { type: 'string' },
      'event-type': { type: 'string', multiple: true },
      description: { type: 'string' },
      status: { type: 'string' },
    },
    args: ['endpoint_id'],
    async run(admin, values, [id]) {
      const e = await admin.webhooks(required(values, 'partner')).update(
        id!,
        defined({
          url: str(values, 'endpoint-url'),
          event_types: eventTypes(values),
          description: str(values, 'description'),
          status: status(values, ['enabled', 'disabled'] as const),
        }),
      );
      return { json: e, text: endpointRecord(e) };
    },
  },
  'webhooks delete': {
    usage: 'webhooks delete <endpoint_id> --partner <id>',
    summary: 'Delete a webhook endpoint; its pending deliveries are cancelled',
    options: { ...PARTNER },
    args: ['endpoint_id'],
    async run(admin, values, [id]) {
      await admin.webhooks(required(values, 'partner')).delete(id!);
      return { json: { deleted: id }, text: `deleted ${id}` };
    },
  },
  'webhooks rotate': {
    usage: 'webhooks rotate <endpoint_id> --partner <id>',
    summary: 'Rotate the signing secret; the old one keeps signing beside it for 24 h',
    options: { ...PARTNER },
    args: ['endpoint_id'],
    async run(admin, values, [id]) {
      const r = await admin.webhooks(required(values, 'partner')).rotateSecret(id!);
      return {
        json: r,
        text: `${record([['secret', r.secret]])}\n\nThe secret is ${secretHint}; the previous one also signs for 24 h.`,
      };
    },
  },
  'webhooks deliveries': {
    usage:
      'webhooks deliveries <endpoint_id> --partner <id> [--status pending|succeeded|failed|cancelled] [--limit N] [--cursor C]',
    summary: "An endpoint's deliveries, newest first, with their attempts",
    options: { ...PARTNER, ...PAGE, status: { type: 'string' } },
    args: ['endpoint_id'],
    async run(admin, values, [id]) {
      const partner = required(values, 'partner');
      const p: WebhookDeliveryList = await admin.webhooks(partner).deliveries(
        id!,
        defined({
          ...page(values),
          status: status<WebhookDeliveryStatus>(values, ['pending', 'succeeded', 'failed', 'cancelled']),
        }),
      );
      return {
        json: p,
        text:
          table(
            ['EVENT', 'TYPE', 'STATUS', 'ATTEMPTS', 'LAST', 'NEXT'],
            p.data.map((d) => {
              const last = d.attempts.at(-1);
              return [
                d.event_id,
                d.type,
                d.status,
                d.attempts.length,
                last ? (last.response_status ?? last.error) : null,
                d.next_attempt_at,
              ];
            }),
          ) + more(p.next_cursor, `webhooks deliveries ${id} --partner ${partner}`),
      };
    },
  },
  'events list': {
    usage: 'events list --partner <id> [--type <type>] [--since T] [--limit N] [--cursor C]',
    summary: "A partner's webhook events of the last 30 days, oldest first",
    options: { ...PARTNER, ...PAGE, type: { type: 'string' }, since: { type: 'string' } },
    async run(admin, values) {
      const partner = required(values, 'partner');
      const type = str(values, 'type');
      if (type !== undefined && !isWebhookEventType(type))
        throw new UsageError(`--type must be one of ${EVENT_TYPES.join(', ')}, not "${type}"`);
      const p = await admin.webhooks(partner).events(
        defined({
          ...page(values),
          type: type as WebhookEventType | undefined,
          since: instant(values, 'since') ?? undefined,
        }),
      );
      return {
        json: p,
        text:
          table(
            ['ID', 'AT', 'TYPE', 'SUBJECT'],
            p.data.map((e) => [e.id, e.timestamp, e.type, String(e.data.enrollment_id ?? e.data.id ?? '')]),
          ) + more(p.next_cursor, `events list --partner ${partner}`),
      };
    },
  },
  'events redeliver': {
    usage: 'events redeliver <event_id> --partner <id>',
    summary: 'Deliver an event again to every enabled endpoint subscribed to its type',
    options: { ...PARTNER },
    args: ['event_id'],
    async run(admin, values, [id]) {
      const r = await admin.webhooks(required(values, 'partner')).redeliver(id!);
      return {
        json: r,
        text: `queued ${r.deliveries} deliver${r.deliveries === 1 ? 'y' : 'ies'} of ${r.event_id}`,
      };
    },
  },
};
