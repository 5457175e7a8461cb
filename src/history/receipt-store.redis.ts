import type { ReceiptState } from '../protocol';
import type { StoreConnection } from '../redis/store-connection';
import { userTag } from '../redis/user-tag';
import { receiptKey, ReceiptStore } from './receipt-store';

/** In the recipient's slot on a Redis Cluster, next to its stream (`rg:us:{u:<tag>}:…`). */
const markerKey = (recipient: string, messageId: string, state: ReceiptState) => `rg:rc:{u:${userTag(recipient)}}:${receiptKey(recipient, messageId, state)}`;

/** The markers on Redis, shared by every node: one key each, SET NX PX (atomic, expires by itself). */
export class RedisReceiptStore implements ReceiptStore {
  constructor(
    private readonly redis: StoreConnection,
    private readonly ttlMs: number,
  ) {}

  async claim(recipient: string, messageId: string, state: ReceiptState): Promise<boolean> {
    return (await this.redis.command.set(markerKey(recipient, messageId, state), '1', 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  async release(recipient: string, messageId: string, state: ReceiptState): Promise<void> {
    await this.redis.command.del(markerKey(recipient, messageId, state));
  }
}
