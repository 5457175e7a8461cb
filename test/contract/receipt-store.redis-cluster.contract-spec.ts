import { RedisReceiptStore } from '../../src/history/receipt-store.redis';
import { redisClusterFixture } from './redis-cluster-fixture';
import { describeReceiptStoreContract } from './receipt-store.contract';

const cluster = redisClusterFixture();

describeReceiptStoreContract('Redis Cluster', async (ttlMs) => new RedisReceiptStore(await cluster.connect(), ttlMs));
