import { Cluster, Redis, RedisOptions } from 'ioredis';
import type { RedisConnection } from '../config';

/**
 * What every connection of ours shares. Commands fail at once while Redis is unreachable (no
 * offline queue, one retry), so callers answer UNAVAILABLE instead of queueing without bound;
 * ioredis keeps reconnecting (every 100 ms to 2 s) and re-subscribes by itself.
 */
const COMMON: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000) };

/** A demoted primary that is still reachable (a partition, a manual failover) answers READONLY: reconnect, which asks the sentinels again. */
const onReadOnly = (err: Error) => err.message.startsWith('READONLY');

/**
 * The node's two Redis connections: pub/sub needs one of its own. Three ways to reach Redis
 * (RedisConnection, from REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES):
 * - single: one server;
 * - sentinel: the primary the sentinels name, asked again on every reconnect, so after a failover
 *   both connections move to the promoted replica by themselves; until then commands fail at once
 *   (UNAVAILABLE), as during an outage. RedisHistoryStore gives every stream a new epoch on a new
 *   primary, which may lack the newest writes (replication is asynchronous);
 * - cluster: ioredis' Cluster client. Every store keeps each script in one slot (docs/scaling.md,
 *   "Keys and hash slots"); the subscriber also keeps one connection per primary for sharded
 *   pub/sub (SSUBSCRIBE, `shardedSubscribers`), besides the one for the shared classic channels.
 *   A failover moves a slot to the promoted replica by itself (the slots are refreshed when a node
 *   drops); until then that slot's commands fail at once (UNAVAILABLE), like RedisHistoryStore,
 *   which checks for a new primary as in sentinel mode.
 */
export class RedisClients {
  readonly mode: RedisConnection['mode'];
  /** How to reach Redis, for the components that need connections of their own (the webhook queue). */
  readonly target: RedisConnection;
  readonly command: Redis;
  readonly subscriber: Redis;

  /** A URL is the single-server connection (REDIS_URL). */
  constructor(connection: RedisConnection | string) {
    const target: RedisConnection = typeof connection === 'string' ? { mode: 'single', url: connection } : connection;
    this.mode = target.mode;
    this.target = target;
    this.command = connect(target, COMMON, false);
    // The subscriber queues its (re)subscriptions while it connects.
    this.subscriber = connect(target, { ...COMMON, enableOfflineQueue: true }, true);
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

/**
 * A connection for BullMQ (the webhook queue): unlike ours it queues commands while it reconnects
 * and retries them without limit (BullMQ requires `maxRetriesPerRequest: null` for workers), so
 * the caller must bound what it sends meanwhile. BullMQ duplicates it for its blocking reads.
 */
export function queueConnection(target: RedisConnection): Redis | Cluster {
  const options: RedisOptions = { enableOfflineQueue: true, maxRetriesPerRequest: null, retryStrategy: COMMON.retryStrategy };
  if (target.mode === 'cluster') {
    return new Cluster(target.nodes, { enableOfflineQueue: true, redisOptions: { password: target.password, maxRetriesPerRequest: null } });
  }
  return connect(target, options, false);
}

function connect(target: RedisConnection, options: RedisOptions, subscriber: boolean): Redis {
  switch (target.mode) {
    case 'single':
      return new Redis(target.url, options);
    case 'sentinel':
      return new Redis({
        ...options,
        sentinels: target.sentinels,
        name: target.name,
        sentinelPassword: target.sentinelPassword,
        password: target.password,
        reconnectOnError: onReadOnly,
        // Watches the sentinels' +switch-master, so a primary that stays reachable is left at once.
        failoverDetector: true,
      });
    case 'cluster':
      // Typed as Redis for the bus (StoreConnection takes either): a Cluster shares the commands
      // and events it uses, but not every signature. The Cluster fails commands at once when it
      // cannot place them (enableOfflineQueue false); its node connections keep ioredis' own
      // options: they queue while they connect, and a node that drops is not reconnected but
      // dropped, which refreshes the slots (our retryStrategy would keep a dead primary's slots).
      // Sharded subscribers (one connection per primary) only on the subscriber.
      return new Cluster(target.nodes, {
        enableOfflineQueue: options.enableOfflineQueue,
        shardedSubscribers: subscriber,
        redisOptions: { password: target.password },
      }) as unknown as Redis;
  }
}
