// The webhooks feature's SQL, by concern: the partner's endpoints, the delivery queue, and the
// partner's feed of the event log. One object, so the service and the dispatcher take one
// repository; each part is its own file.
import type { Db } from '../db/client.js';
import { createEventsRepository } from '../events/repository.js';
import { createDeliveriesRepository } from './deliveries-repository.js';
import { createEndpointsRepository } from './endpoints-repository.js';
import { plaintextBox, type SecretBox } from './secret-box.js';

export type { EventRow } from '../events/repository.js';
export type {
  AttemptOutcome,
  AttemptRow,
  ClaimedDelivery,
  DeliveryRow,
  DeliveryStatus,
} from './deliveries-repository.js';
export type { EndpointChanges, EndpointRow, EndpointStatus } from './endpoints-repository.js';

/** `box` seals secrets on write and opens them for the dispatcher (see secret-box.ts). */
export function createWebhooksRepository(db: Db, box: SecretBox = plaintextBox) {
  return {
    ...createEndpointsRepository(db, box),
    ...createDeliveriesRepository(db, box),
    ...createEventsRepository(db),
  };
}

export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;
