import type { Cluster, Redis } from 'ioredis';
import type { RedisConnection } from '../config';

/**
 * What a Redis store needs of the node's connections (RedisClients has it): a command client, on
 * one Redis or on a Redis Cluster. Every key a store uses is named so that each script, MULTI and
 * pipeline stays in one hash slot (docs/scaling.md, "Keys and hash slots").
 */
export interface StoreConnection {
  readonly command: Redis | Cluster;
  /** How the node reaches Redis: on Sentinel and Cluster the history store checks for failovers, on Cluster it publishes sharded (docs/reliability.md). */
  readonly mode: RedisConnection['mode'];
  /** Resolves once commands can be sent, or after `timeoutMs`. */
  whenReady(timeoutMs: number): Promise<void>;
}
