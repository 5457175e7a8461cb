import { DynamicModule, Global, Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { RegistryModule } from '../registry/registry.module';
import { BusMetrics } from './bus.metrics';
import { DeliveryLatency } from './delivery-latency';
import { GatewayMetrics } from './gateway.metrics';
import { HistoryMetrics } from './history.metrics';
import { MetricsAccess } from './metrics-access';
import { MetricsRegistry } from './metrics-registry';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics.server';
import { RedisMetrics } from './redis.metrics';
import { TrafficMetrics } from './traffic.metrics';

const SHARED = [MetricsRegistry, GatewayMetrics, TrafficMetrics, DeliveryLatency, BusMetrics];

/**
 * Prometheus metrics. Global like logging: every layer counts something. With `endpoint`, they
 * are served: /metrics on the main port, or on METRICS_PORT alone when that is set.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot({ endpoint }: { endpoint: boolean }): DynamicModule {
    return {
      module: MetricsModule,
      imports: [HistoryModule, RegistryModule],
      controllers: endpoint ? [MetricsController] : [],
      providers: [...SHARED, HistoryMetrics, RedisMetrics, MetricsAccess, ...(endpoint ? [MetricsServer] : [])],
      exports: SHARED,
    };
  }
}
