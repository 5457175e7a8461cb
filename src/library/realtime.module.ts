import { DynamicModule, Module, Provider, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AdminModule } from '../admin/admin.module';
import { AsyncApiModule } from '../asyncapi/asyncapi.module';
import { BusModule } from '../bus/bus.module';
import { ClusterModule } from '../cluster/cluster.module';
import { APP_CONFIG, AppConfig } from '../config';
import { DeliveryModule } from '../delivery/delivery.module';
import { DevModule } from '../dev/dev.module';
import { GatewayModule } from '../gateway/gateway.module';
import { HealthModule } from '../health/health.module';
import { HistoryModule } from '../history/history.module';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { loggerOptions } from '../logging/logger.options';
import { LOG_STREAM, LoggingModule } from '../logging/logging.module';
import { MetricsModule } from '../metrics/metrics.module';
import { PresenceModule } from '../presence/presence.module';
import { RealtimeServiceModule } from '../realtime/realtime-service.module';
import { RedisModule } from '../redis/redis.module';
import { RegistryModule } from '../registry/registry.module';
import { RevocationModule } from '../revocation/revocation.module';
import { ROOM_AUTHORIZATION } from '../rooms/room-authorizer';
import { RoomsModule } from '../rooms/rooms.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ChatPageModule } from './chat-page.module';
import { configFromOptions, featuresOf, RealtimeFeatures, RealtimeModuleAsyncOptions, RealtimeModuleOptions, RealtimeOptions, roomAuthorizationFrom } from './realtime-options';

/** Our HTTP routes: inside a host, only these get pino-http's request lines (the host's own routes are the host's to log). */
const OWN_ROUTES = ['admin/{*path}', 'health/{*path}', 'metrics', 'auth/ticket', 'dev/token', 'docs/asyncapi.json'].map((path) => ({ path, method: RequestMethod.ALL }));

/** The options as given (forRoot) or as the factory made them (forRootAsync). */
const REALTIME_OPTIONS = Symbol('REALTIME_OPTIONS');

/**
 * The real-time gateway in a Nest application: the WebSocket endpoint on `wsPath` (attached to the
 * application's HTTP server), rooms, presence, history, direct messages, and, per RealtimeFeatures,
 * the admin API, health, metrics and the protocol's AsyncAPI document. Global, so RealtimeService
 * and LifecycleEventsService can be injected anywhere in the host.
 *
 * Options follow docs/configuration.md (one per environment variable, camel-cased) and are
 * validated as the environment is: a bad one stops the application at start with one line.
 */
@Module({})
export class RealtimeModule {
  static forRoot(options: RealtimeModuleOptions = {}): DynamicModule {
    return compose(featuresOf(options), [], fromOptions({ provide: REALTIME_OPTIONS, useValue: options }));
  }

  static forRootAsync(options: RealtimeModuleAsyncOptions): DynamicModule {
    const factory = { provide: REALTIME_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory as (...args: unknown[]) => RealtimeOptions | Promise<RealtimeOptions> };
    return compose(featuresOf(options), options.imports ?? [], fromOptions(factory));
  }

  /**
   * The standalone service (src/app.module.ts): configuration read from the environment, whose
   * errors name variables. Not for hosts: use forRoot or forRootAsync.
   * @internal
   */
  static forConfig(config: AppConfig): DynamicModule {
    const all = featuresOf({ chatPage: true });
    return compose(all, [], [{ provide: APP_CONFIG, useValue: config }], 'all');
  }
}

/** APP_CONFIG and ROOM_AUTHORIZATION from the options (the standalone service has no authorizer: the token decides). */
function fromOptions(options: Provider): Provider[] {
  return [
    options,
    { provide: APP_CONFIG, inject: [REALTIME_OPTIONS], useFactory: configFromOptions },
    { provide: ROOM_AUTHORIZATION, inject: [REALTIME_OPTIONS], useFactory: roomAuthorizationFrom },
  ];
}

/** `loggedRoutes`: which HTTP requests pino-http logs, every one (the standalone service) or ours alone (a host). */
function compose(
  features: Required<RealtimeFeatures>,
  imports: NonNullable<RealtimeModuleAsyncOptions['imports']>,
  providers: Provider[],
  loggedRoutes: 'all' | 'own' = 'own',
): DynamicModule {
  const logger = (config: AppConfig, stream: DestinationStream) => ({ ...loggerOptions(config, stream), ...(loggedRoutes === 'own' && { forRoutes: OWN_ROUTES }) });
  return {
    module: RealtimeModule,
    global: true,
    imports: [
      ...imports,
      LoggingModule,
      LoggerModule.forRootAsync({ inject: [APP_CONFIG, LOG_STREAM], useFactory: logger }),
      MetricsModule.forRoot({ endpoint: features.metrics }),
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
      RealtimeServiceModule,
      WebhooksModule,
      DevModule,
      ...(features.adminApi ? [AdminModule] : []),
      ...(features.health ? [HealthModule] : []),
      ...(features.openApi ? [AsyncApiModule] : []),
      ...(features.chatPage ? [ChatPageModule] : []),
    ],
    providers,
    exports: [APP_CONFIG, ...(providers.length > 1 ? [ROOM_AUTHORIZATION] : []), LifecycleModule, RealtimeServiceModule],
  };
}
