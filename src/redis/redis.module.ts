import { Global, Inject, Injectable, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { RedisClients } from './redis-clients';

/** The node's Redis connections (token REDIS), or undefined on a single in-memory node. */
export const REDIS = Symbol('REDIS');

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Optional() @Inject(REDIS) private readonly redis?: RedisClients) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}

/** Global, like the config it is made from: every store provider (store-provider.ts) reads it. */
@Global()
@Module({
  providers: [
    { provide: REDIS, useFactory: (config: AppConfig) => (config.redis ? new RedisClients(config.redis) : undefined), inject: [APP_CONFIG] },
    RedisLifecycle,
  ],
  exports: [REDIS],
})
export class RedisModule {}
