import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge } from 'prom-client';
import { createEventFeed, type EventFeed } from '../events/repository.js';
import { createDeliveriesRepository, type DeliveriesRepository } from './deliveries-repository.js';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import { createEndpointsRepository, type EndpointsRepository } from './endpoints-repository.js';
import { createSecretBox } from './secret-box.js';
import { createWebhookService, type WebhookService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** A partner's webhook endpoints, their secrets sealed (secret-box.ts). */
    webhookEndpoints: EndpointsRepository;
    /** The delivery queue: claimed, attempted and released by the dispatcher; listed and redelivered by the API. */
    webhookDeliveries: DeliveriesRepository;
    /** The partner's feed of the event log (GET /v2/events). */
    eventFeed: EventFeed;
    /** The API's webhook operations (the partner's, the admin mirror's and the console's). */
    webhookService: WebhookService;
    /** Started by server.ts (tests call runOnce); stopped when the app closes. */
    webhookDispatcher: Dispatcher;
  }
}

/**
 * Webhooks (CONTRACT §8): the repositories, the API's service, the dispatcher and its metrics —
 * `webhook_deliveries_total{outcome}`, `webhook_pending_deliveries` and
 * `webhook_oldest_pending_delivery_age_seconds` — on the app's metrics registry.
 */
export const webhooksPlugin = fp(
  async (app) => {
    const { db, clock, config } = app;
    const box = createSecretBox(config.webhookSecretsKey);
    const endpoints = createEndpointsRepository(db, box);
    const deliveries = createDeliveriesRepository(db, box);
    const eventFeed = createEventFeed(db);
    const registry = app.metrics.registry;

    const attempts = new Counter({
      name: 'webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome: succeeded, retrying (failed, will retry) or failed (gave up).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    for (const outcome of ['succeeded', 'retrying', 'failed']) attempts.inc({ outcome }, 0);
    // Both gauges read one query per scrape, shared through this promise.
    let stats: ReturnType<typeof deliveries.pendingStats> | null = null;
    const readStats = () => {
      stats ??= deliveries.pendingStats().finally(() => {
        setImmediate(() => {
          stats = null;
        });
      });
      return stats;
    };
    new Gauge({
      name: 'webhook_pending_deliveries',
      help: 'Webhook deliveries waiting for a (re)try, to enabled endpoints.',
      registers: [registry],
      async collect() {
        this.set((await readStats()).pending);
      },
    });
    new Gauge({
      name: 'webhook_oldest_pending_delivery_age_seconds',
      help: 'Age of the oldest pending webhook delivery to an enabled endpoint (0 when none).',
      registers: [registry],
      async collect() {
        const { oldest } = await readStats();
        this.set(oldest ? Math.max(0, (clock.now().getTime() - oldest.getTime()) / 1000) : 0);
      },
    });

    const dispatcher = createDispatcher({
      deliveries,
      clock,
      timeoutMs: config.webhookTimeoutMs,
      retryScheduleSeconds: config.webhookRetryScheduleSeconds,
      allowPrivate: config.webhookAllowPrivateUrls,
      pollIntervalMs: config.webhookPollIntervalMs,
      onAttempt: (outcome) => attempts.inc({ outcome }),
      log: app.log.child({ component: 'webhooks' }),
    });
    app.decorate('webhookEndpoints', endpoints);
    app.decorate('webhookDeliveries', deliveries);
    app.decorate('eventFeed', eventFeed);
    app.decorate(
      'webhookService',
      createWebhookService({
        endpoints,
        deliveries,
        eventFeed,
        clock,
        allowPrivateUrls: config.webhookAllowPrivateUrls,
        auditLog: app.auditLog,
      }),
    );
    app.decorate('webhookDispatcher', dispatcher);
    app.addHook('onClose', async () => dispatcher.stop());
  },
  { name: 'webhooks', dependencies: ['core', 'metrics', 'audit'] },
) satisfies FastifyPluginAsync;
