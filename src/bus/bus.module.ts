import { Global, Module } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config';
import { BusMetrics } from '../metrics/bus.metrics';
import { storeProvider } from '../redis/store-provider';
import { Bus, BUS } from './bus';
import { InMemoryBus } from './bus.memory';
import { RedisBus } from './bus.redis';

const named = (logger: PinoLogger) => (logger.setContext('Bus'), logger);

/**
 * Provides the Bus (token BUS): Redis pub/sub when REDIS_URL is set, else in memory. Global because
 * it is the extension API: a module of your own injects BUS without importing a module of ours
 * (README, "Extending").
 */
@Global()
@Module({
  providers: [
    storeProvider<Bus, [AppConfig, PinoLogger, BusMetrics | undefined]>(BUS, {
      // The metrics are optional: a Bus built without MetricsModule counts nothing.
      inject: [APP_CONFIG, PinoLogger, { token: BusMetrics, optional: true } as never],
      memory: (config, logger) => new InMemoryBus(config.nodeId, named(logger)),
      redis: (redis, config, logger, metrics) => new RedisBus(redis, config.nodeId, named(logger), metrics?.received),
    }),
  ],
  exports: [BUS],
})
export class BusModule {}
