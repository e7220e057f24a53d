import { describe, expect, it } from 'vitest';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from '../../clients/typescript/src/index.js';
import { EVENT_TYPES } from '../../src/events/event-types.js';

// The CLI and the client list the event types from the contract (the generated
// webhookEventTypeValues); the server from src/events/event-types.ts. They are one list.
describe('webhook event types', () => {
  it('are the same in the generated client as in the server, in the same order', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual(EVENT_TYPES);
  });

  it('are told apart from other strings', () => {
    expect(isWebhookEventType('usage.limit_reached')).toBe(true);
    expect(isWebhookEventType('usage.limit')).toBe(false);
  });
});
