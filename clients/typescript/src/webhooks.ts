// Receiving webhooks: verification per Standard Webhooks with the `standardwebhooks` package.
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { type components, webhookEventTypeValues } from './generated/promotions.js';

export { WebhookVerificationError };

export type WebhookEventType = components['schemas']['WebhookEventType'];

/** Every webhook event type, in the order openapi/promotions.yaml lists them (`WebhookEventType`). */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = webhookEventTypeValues;

/** Whether `value` is one of the event types. */
export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** The body of a delivery (CONTRACT §8). `data` is the enrollment as GET shows it, or the promotion. */
export interface WebhookPayload {
  type: WebhookEventType;
  /** RFC 3339: when the event happened. */
  timestamp: string;
  data: Record<string, unknown>;
}

export interface VerifiedWebhook extends WebhookPayload {
  /** The `webhook-id` (= the event id `evt_…`): dedupe on it, deliveries are at-least-once. */
  id: string;
}

/**
 * Verifies a delivery and returns its payload; throws WebhookVerificationError when the
 * signature does not match any `v1,` signature for `secret` (the raw body must be the exact
 * bytes received), or the `webhook-timestamp` is more than 5 minutes off.
 *
 * ```ts
 * const event = verifyWebhook(process.env.WEBHOOK_SECRET!, rawBody, request.headers);
 * ```
 */
export function verifyWebhook(
  secret: string,
  rawBody: string | Uint8Array,
  headers: Record<string, string | string[] | undefined> | Headers,
): VerifiedWebhook {
  const get = (name: string): string => {
    const value = headers instanceof Headers ? headers.get(name) : headers[name];
    const one = Array.isArray(value) ? value[0] : value;
    if (!one) throw new WebhookVerificationError(`Missing required header ${name}`);
    return one;
  };
  const required = {
    'webhook-id': get('webhook-id'),
    'webhook-timestamp': get('webhook-timestamp'),
    'webhook-signature': get('webhook-signature'),
  };
  // Uint8Array, not Buffer, in the signature: the declarations need no Node types (a Buffer is one).
  const body = typeof rawBody === 'string' || Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody);
  const payload = new Webhook(secret).verify(body, required) as WebhookPayload;
  return { id: required['webhook-id'], ...payload };
}
