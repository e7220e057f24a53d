/**
 * The event types (CONTRACT §8). The partner sees these: in its feed (GET /v2/events) and by
 * webhook; an endpoint subscribes to a subset (all by default).
 */
export const EVENT_TYPES = [
  'enrollment.created',
  'enrollment.unenrolled',
  'enrollment.expired',
  'usage.threshold_reached',
  'usage.limit_reached',
  'promotion.ended',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Events of the log the partner never sees, only an enrollment's audit trail (CONTRACT §6):
 * each usage batch recorded. (Migration 0005 also moved audit rows without a webhook event of
 * the same cause in as `legacy.<audit type>`; nothing writes those any more.)
 */
export type AuditOnlyEventType = 'usage.recorded';

export type LogEventType = EventType | AuditOnlyEventType;

/** Who caused an event: the partner (its token), an operator (the admin API), or the server itself. */
export type ActorType = 'partner' | 'admin' | 'system';

/** The partner's feed and redeliveries reach this far back; deliveries and attempts are pruned then. */
export const EVENT_RETENTION_MS = 30 * 24 * 3600 * 1000;
