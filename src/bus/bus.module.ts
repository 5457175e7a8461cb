import { Global, Module } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config';
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
    storeProvider<Bus, [AppConfig, PinoLogger]>(BUS, {
      inject: [APP_CONFIG, PinoLogger],
      memory: (config, logger) => new InMemoryBus(config.nodeId, named(logger)),
      redis: (redis, config, logger) => new RedisBus(redis, config.nodeId, named(logger)),
    }),
  ],
  exports: [BUS],
})
export class BusModule {}
