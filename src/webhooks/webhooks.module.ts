import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { WebhookDispatcherService } from './webhook-dispatcher.service';
import { WebhookMetrics } from './webhook.metrics';

/** Lifecycle webhooks, loaded only when WEBHOOK_URL is set. */
@Module({})
export class WebhooksModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WebhooksModule, imports: [LifecycleModule], providers: config.webhook ? [WebhookDispatcherService, WebhookMetrics] : [] };
  }
}
