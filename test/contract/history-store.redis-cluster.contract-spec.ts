import { RedisHistoryStore } from '../../src/history/history-store.redis';
import { describeHistoryStoreContract } from './history-store.contract';
import { redisClusterFixture } from './redis-cluster-fixture';

const cluster = redisClusterFixture();

describeHistoryStoreContract('Redis Cluster', async (limits) => ({ store: new RedisHistoryStore(await cluster.connect(), limits), close: async () => undefined }));
