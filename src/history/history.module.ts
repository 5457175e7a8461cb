import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { HISTORY_STORE } from './history-store';
import { InMemoryHistoryStore } from './in-memory-history.store';

/** Expired messages are dropped on access too; this sweep returns the memory of idle rooms. */
@Injectable()
class InMemoryHistoryJanitor implements OnApplicationShutdown {
  private readonly timer: NodeJS.Timeout;

  constructor(@Inject(HISTORY_STORE) store: InMemoryHistoryStore, @Inject(APP_CONFIG) config: AppConfig) {
    this.timer = setInterval(() => store.expireAll(), Math.min(config.history.ttlMs, 60_000));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}

/** Provides the HistoryStore (token HISTORY_STORE): the in-memory one on a single node. */
@Global()
@Module({
  providers: [
    { provide: HISTORY_STORE, useFactory: (config: AppConfig) => new InMemoryHistoryStore(config.history), inject: [APP_CONFIG] },
    InMemoryHistoryJanitor,
  ],
  exports: [HISTORY_STORE],
})
export class HistoryModule {}
