import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config';
import { HistoryModule } from '../history/history.module';
import { RegistryModule } from '../registry/registry.module';
import { DeliveryLatency } from './delivery-latency';
import { GatewayMetrics } from './gateway.metrics';
import { HistoryMetrics } from './history.metrics';
import { MetricsAccess } from './metrics-access';
import { MetricsRegistry } from './metrics-registry';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics.server';
import { RedisMetrics } from './redis.metrics';
import { TrafficMetrics } from './traffic.metrics';

const SHARED = [MetricsRegistry, GatewayMetrics, TrafficMetrics, DeliveryLatency];

/**
 * Prometheus metrics: /metrics on PORT, or on METRICS_PORT alone when that is set. Global like
 * logging: every layer counts something, and the counters are configured once, in AppModule.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const ownPort = config.metrics.port !== undefined;
    return {
      module: MetricsModule,
      imports: [HistoryModule, RegistryModule],
      controllers: ownPort ? [] : [MetricsController],
      providers: [...SHARED, HistoryMetrics, RedisMetrics, MetricsAccess, ...(ownPort ? [MetricsServer] : [])],
      exports: SHARED,
    };
  }
}
