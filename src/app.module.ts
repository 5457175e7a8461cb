import { DynamicModule, Module, Type } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module';
import { AsyncApiModule } from './asyncapi/asyncapi.module';
import { AppConfig, AppConfigModule, ExampleName } from './config';
import { BusModule } from './bus/bus.module';
import { ClusterModule } from './cluster/cluster.module';
import { DeliveryModule } from './delivery/delivery.module';
import { DevModule } from './dev/dev.module';
import { TypingModule } from './examples/typing/typing.module';
import { GatewayModule } from './gateway/gateway.module';
import { HealthModule } from './health/health.module';
import { HistoryModule } from './history/history.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { BufferedLogStream } from './logging/buffered-log-stream';
import { loggerOptions } from './logging/logger.options';
import { LoggingModule } from './logging/logging.module';
import { prettyLogStream } from './logging/pretty-log-stream';
import { MetricsModule } from './metrics/metrics.module';
import { PresenceModule } from './presence/presence.module';
import { RedisModule } from './redis/redis.module';
import { RegistryModule } from './registry/registry.module';
import { RevocationModule } from './revocation/revocation.module';
import { RoomsModule } from './rooms/rooms.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** What EXAMPLES may load: examples are not part of the service, so none is loaded unless asked. */
const EXAMPLE_MODULES: Record<ExampleName, Type> = { typing: TypingModule };

@Module({})
export class AppModule {
  /** @param extensions your own modules with @MessageHandler types (see docs/extending.md). */
  static forRoot(config: AppConfig, extensions: (Type | DynamicModule)[] = []): DynamicModule {
    const logStream = config.logFormat === 'pretty' ? prettyLogStream() : new BufferedLogStream();
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config, logStream)),
        LoggingModule.forRoot(logStream),
        MetricsModule.forRoot(config),
        LifecycleModule,
        RevocationModule,
        RegistryModule,
        RedisModule,
        BusModule,
        PresenceModule,
        ClusterModule,
        DeliveryModule,
        HistoryModule,
        GatewayModule,
        RoomsModule,
        AdminModule,
        HealthModule,
        AsyncApiModule,
        WebhooksModule.forRoot(config),
        ...config.examples.map((name) => EXAMPLE_MODULES[name]),
        // Minting tokens for anyone is only acceptable on a developer's machine.
        ...(config.devTokens ? [DevModule] : []),
        ...extensions,
      ],
    };
  }
}
