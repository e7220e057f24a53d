import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge } from 'prom-client';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import { createWebhooksRepository, type WebhooksRepository } from './repository.js';
import { createSecretBox } from './secret-box.js';
import { createWebhookService, type WebhookService } from './service.js';

export interface Webhooks {
  repository: WebhooksRepository;
  service: WebhookService;
  /** Started by server.ts (tests call runOnce); stopped when the app closes. */
  dispatcher: Dispatcher;
}

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: Webhooks;
  }
}

/**
 * Webhooks (CONTRACT §8): the repository, the API's service, the dispatcher and its metrics —
 * `webhook_deliveries_total{outcome}`, `webhook_pending_deliveries` and
 * `webhook_oldest_pending_delivery_age_seconds` — on the app's metrics registry.
 */
export const webhooksPlugin = fp(
  async (app) => {
    const { db, clock, config } = app;
    const repository = createWebhooksRepository(db, createSecretBox(config.webhookSecretsKey));
    const registry = app.metrics.registry;

    const deliveries = new Counter({
      name: 'webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome: succeeded, retrying (failed, will retry) or failed (gave up).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    for (const outcome of ['succeeded', 'retrying', 'failed']) deliveries.inc({ outcome }, 0);
    // Both gauges read one query per scrape, shared through this promise.
    let stats: ReturnType<typeof repository.pendingStats> | null = null;
    const readStats = () => {
      stats ??= repository.pendingStats().finally(() => {
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
      repository,
      clock,
      timeoutMs: config.webhookTimeoutMs,
      retryScheduleSeconds: config.webhookRetryScheduleSeconds,
      allowPrivate: config.webhookAllowPrivateUrls,
      pollIntervalMs: config.webhookPollIntervalMs,
      onAttempt: (outcome) => deliveries.inc({ outcome }),
      log: app.log.child({ component: 'webhooks' }),
    });
    app.decorate('webhooks', {
      repository,
      service: createWebhookService({
        repository,
        clock,
        allowPrivateUrls: config.webhookAllowPrivateUrls,
        auditLog: app.auditLog,
      }),
      dispatcher,
    } satisfies Webhooks);
    app.addHook('onClose', async () => dispatcher.stop());
  },
  { name: 'webhooks', dependencies: ['core', 'metrics', 'audit'] },
) satisfies FastifyPluginAsync;
