import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { storeProvider } from '../redis/store-provider';
import { HISTORY_STORE, HistoryStore } from './history-store';
import { InMemoryHistoryStore } from './history-store.memory';
import { RedisHistoryStore } from './history-store.redis';

/** Expired messages are dropped on access too; this sweep returns the memory of idle rooms. */
@Injectable()
class HistorySweeper implements OnApplicationShutdown {
  private readonly timer?: NodeJS.Timeout;

  constructor(@Inject(HISTORY_STORE) store: HistoryStore, @Inject(APP_CONFIG) config: AppConfig) {
    if (store.sharedAcrossNodes) return;
    this.timer = setInterval(() => store.expireAll(), Math.min(config.history.ttlMs, 60_000));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}

/** Provides the HistoryStore (token HISTORY_STORE): on Redis in cluster mode, else in memory. */
@Module({
  providers: [
    storeProvider<HistoryStore, [AppConfig]>(HISTORY_STORE, {
      inject: [APP_CONFIG],
      memory: (config) => new InMemoryHistoryStore(config.history),
      redis: (redis, config) => new RedisHistoryStore(redis, config.history),
    }),
    HistorySweeper,
  ],
  exports: [HISTORY_STORE],
})
export class HistoryModule {}
