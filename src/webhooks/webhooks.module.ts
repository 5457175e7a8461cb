import { Module } from '@nestjs/common';
import { getLoggerToken, PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config';
import { LifecycleEventsService } from '../lifecycle/lifecycle-events.service';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { LogLimiter } from '../logging/log-limiter';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { WebhookDispatcherService } from './webhook-dispatcher.service';
import { WebhookMetrics } from './webhook.metrics';

/**
 * Lifecycle webhooks, built only when WEBHOOK_URL is set (null otherwise: no listener, no metric
 * series). Factories rather than a conditional module, because forRootAsync knows the
 * configuration only once providers are being built.
 */
@Module({
  imports: [LifecycleModule],
  providers: [
    {
      provide: WebhookMetrics,
      inject: [APP_CONFIG, MetricsRegistry],
      useFactory: (config: AppConfig, registry: MetricsRegistry) => (config.webhook ? new WebhookMetrics(registry) : null),
    },
    {
      provide: WebhookDispatcherService,
      inject: [APP_CONFIG, LifecycleEventsService, WebhookMetrics, LogLimiter, getLoggerToken(WebhookDispatcherService.name)],
      useFactory: (config: AppConfig, lifecycle: LifecycleEventsService, metrics: WebhookMetrics | null, limiter: LogLimiter, logger: PinoLogger) =>
        metrics ? new WebhookDispatcherService(config, lifecycle, metrics, limiter, logger) : null,
    },
  ],
})
export class WebhooksModule {}
