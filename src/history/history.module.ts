import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { RedisClients } from '../redis/redis-clients';
import { REDIS } from '../redis/redis.module';
import { HISTORY_STORE, HistoryStore } from './history-store';
import { InMemoryHistoryStore } from './history-store.memory';
import { RedisHistoryStore } from './history-store.redis';

/** Expired messages are dropped on access too; this sweep returns the memory of idle rooms. */
@Injectable()
class InMemoryHistoryJanitor implements OnApplicationShutdown {
  private readonly timer?: NodeJS.Timeout;

  constructor(@Inject(HISTORY_STORE) store: HistoryStore, @Inject(APP_CONFIG) config: AppConfig) {
    if (!(store instanceof InMemoryHistoryStore)) return;
    this.timer = setInterval(() => store.expireAll(), Math.min(config.history.ttlMs, 60_000));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}

/** Provides the HistoryStore (token HISTORY_STORE): on Redis in cluster mode, else in memory. */
@Global()
@Module({
  providers: [
    {
      provide: HISTORY_STORE,
      useFactory: (config: AppConfig, redis?: RedisClients) =>
        redis ? new RedisHistoryStore(redis, config.history) : new InMemoryHistoryStore(config.history),
      inject: [APP_CONFIG, { token: REDIS, optional: true }],
    },
    InMemoryHistoryJanitor,
  ],
  exports: [HISTORY_STORE],
})
export class HistoryModule {}
