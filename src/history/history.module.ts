import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { storeProvider } from '../redis/store-provider';
import { HISTORY_STORE, HistoryStore } from './history-store';
import { InMemoryHistoryStore, InMemoryStreamStore } from './history-store.memory';
import { RedisHistoryStore, RedisStreamStore } from './history-store.redis';
import { RECEIPT_STORE, ReceiptStore } from './receipt-store';
import { InMemoryReceiptStore } from './receipt-store.memory';
import { RedisReceiptStore } from './receipt-store.redis';
import { USER_STREAM_STORE, USER_STREAMS, UserStreamStore } from './user-streams';

/** Expired messages are dropped on access too; this sweep returns the memory of idle rooms. */
@Injectable()
class HistorySweeper implements OnApplicationShutdown {
  private readonly timer?: NodeJS.Timeout;

  constructor(@Inject(HISTORY_STORE) store: HistoryStore, @Inject(USER_STREAM_STORE) users: UserStreamStore, @Inject(APP_CONFIG) config: AppConfig) {
    if (store.sharedAcrossNodes || users.sharedAcrossNodes) return;
    this.timer = setInterval(
      () => {
        store.expireAll();
        users.expireAll();
      },
      Math.min(config.history.ttlMs, config.userHistory.ttlMs, 60_000),
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}

/**
 * Provides the HistoryStore (token HISTORY_STORE), the per-user streams (USER_STREAM_STORE, the
 * same stores over the user key space) and the markers of the receipts forwarded for messages of
 * those streams (RECEIPT_STORE, living as long as they do): on Redis in cluster mode, else in memory.
 */
@Module({
  providers: [
    storeProvider<HistoryStore, [AppConfig]>(HISTORY_STORE, {
      inject: [APP_CONFIG],
      memory: (config) => new InMemoryHistoryStore(config.history),
      redis: (redis, config) => new RedisHistoryStore(redis, config.history),
    }),
    storeProvider<UserStreamStore, [AppConfig]>(USER_STREAM_STORE, {
      inject: [APP_CONFIG],
      memory: (config) => new InMemoryStreamStore(USER_STREAMS, config.userHistory),
      redis: (redis, config) => new RedisStreamStore(redis, config.userHistory, USER_STREAMS),
    }),
    storeProvider<ReceiptStore, [AppConfig]>(RECEIPT_STORE, {
      inject: [APP_CONFIG],
      memory: (config) => new InMemoryReceiptStore(config.userHistory.ttlMs),
      redis: (redis, config) => new RedisReceiptStore(redis, config.userHistory.ttlMs),
    }),
    HistorySweeper,
  ],
  exports: [HISTORY_STORE, USER_STREAM_STORE, RECEIPT_STORE],
})
export class HistoryModule {}
