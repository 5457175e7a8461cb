import { Redis } from 'ioredis';

/**
 * The node's two Redis connections: pub/sub needs one of its own. Commands fail at once while
 * Redis is unreachable (no offline queue), so callers answer UNAVAILABLE instead of queueing
 * without bound; ioredis keeps reconnecting and re-subscribes by itself.
 */
export class RedisClients {
  readonly command: Redis;
  readonly subscriber: Redis;

  constructor(url: string) {
    const options = { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000) };
    this.command = new Redis(url, options);
    // The subscriber queues its (re)subscriptions while it connects.
    this.subscriber = new Redis(url, { ...options, enableOfflineQueue: true });
  }

  get ready(): boolean {
    return this.command.status === 'ready' && this.subscriber.status === 'ready';
  }

  /** Resolves once the command connection is ready, or after `timeoutMs` (callers then see the failures). */
  async whenReady(timeoutMs: number): Promise<void> {
    if (this.command.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.command.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.command.once('ready', done);
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.command.quit(), this.subscriber.quit()]);
    this.command.disconnect();
    this.subscriber.disconnect();
  }
}
