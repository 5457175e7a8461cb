import { Global, Module } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config';
import { RedisClients } from '../redis/redis-clients';
import { REDIS } from '../redis/redis.module';
import { BUS } from './bus';
import { InMemoryBus } from './bus.memory';
import { RedisBus } from './bus.redis';

/** Chooses the bus at start: Redis pub/sub when REDIS_URL is set, else in memory. */
@Global()
@Module({
  providers: [
    {
      provide: BUS,
      useFactory: (config: AppConfig, redis: RedisClients | undefined, logger: PinoLogger) => {
        logger.setContext('Bus');
        return redis ? new RedisBus(redis, config.nodeId, logger) : new InMemoryBus(config.nodeId, logger);
      },
      inject: [APP_CONFIG, REDIS, PinoLogger],
    },
  ],
  exports: [BUS],
})
export class BusModule {}
