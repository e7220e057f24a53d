/** The event types of SPEC §8; an endpoint subscribes to a subset (all by default). */
export const EVENT_TYPES = [
  'enrollment.created',
  'enrollment.unenrolled',
  'enrollment.expired',
  'usage.threshold_reached',
  'usage.limit_reached',
  'promotion.ended',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Events are kept this long, then pruned with their deliveries and attempts. */
export const EVENT_RETENTION_MS = 30 * 24 * 3600 * 1000;
