import { Module } from '@nestjs/common';
import { getLoggerToken, PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config';
import { LifecycleEventsService } from '../lifecycle/lifecycle-events.service';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { LogLimiter } from '../logging/log-limiter';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { storeProvider } from '../redis/store-provider';
import { BullMqWebhookQueue } from './webhook-queue.redis';
import { MemoryWebhookQueue, WebhookWarn } from './webhook-queue.memory';
import { WebhookDispatcherService } from './webhook-dispatcher.service';
import { WEBHOOK_QUEUE, WebhookQueue } from './webhook-queue';
import { WebhookMetrics } from './webhook.metrics';

/** Warnings at most LOG_WARN_LINES_PER_MIN a minute, the rest counted. */
const limitedWarn = (limiter: LogLimiter, logger: PinoLogger): WebhookWarn => {
  const owner = {};
  return (fields, message) => {
    const suppressed = limiter.admit(owner);
    if (suppressed !== undefined) logger.warn(suppressed ? { ...fields, suppressed } : fields, message);
  };
};

type QueueDeps = [AppConfig, WebhookMetrics | null, LogLimiter, PinoLogger];

/**
 * Lifecycle webhooks, built only when WEBHOOK_URL is set (null otherwise: no listener, no queue,
 * no metric series). The queue is durable, on BullMQ, with Redis, and in memory on a single node
 * (storeProvider chooses). Factories rather than a conditional module, because forRootAsync knows
 * the configuration only once providers are being built.
 */
@Module({
  imports: [LifecycleModule],
  providers: [
    {
      provide: WebhookMetrics,
      inject: [APP_CONFIG, MetricsRegistry],
      useFactory: (config: AppConfig, registry: MetricsRegistry) => (config.webhook ? new WebhookMetrics(registry) : null),
    },
    storeProvider<WebhookQueue | null, QueueDeps>(WEBHOOK_QUEUE, {
      inject: [APP_CONFIG, WebhookMetrics, LogLimiter, getLoggerToken(WebhookDispatcherService.name)],
      memory: (config, metrics, limiter, logger) => (config.webhook && metrics ? new MemoryWebhookQueue(config.webhook, metrics, limitedWarn(limiter, logger)) : null),
      redis: (redis, config, metrics, limiter, logger) =>
        config.webhook && metrics ? new BullMqWebhookQueue(redis.target, config.webhook, metrics, limitedWarn(limiter, logger)) : null,
    }),
    {
      provide: WebhookDispatcherService,
      inject: [APP_CONFIG, LifecycleEventsService, WEBHOOK_QUEUE, WebhookMetrics, getLoggerToken(WebhookDispatcherService.name)],
      useFactory: (config: AppConfig, lifecycle: LifecycleEventsService, queue: WebhookQueue | null, metrics: WebhookMetrics | null, logger: PinoLogger) => {
        if (!queue || !metrics) return null;
        metrics.queueLength(() => queue.backlog);
        return new WebhookDispatcherService(config, lifecycle, queue, logger);
      },
    },
  ],
  exports: [WEBHOOK_QUEUE],
})
export class WebhooksModule {}
