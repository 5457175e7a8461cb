import { RedisHistoryStore, RedisStreamStore } from '../../src/history/history-store.redis';
import { USER_STREAMS } from '../../src/history/user-streams';
import { describeHistoryStoreContract, describeUserStreamsContract } from './history-store.contract';
import { redisClusterFixture } from './redis-cluster-fixture';

const cluster = redisClusterFixture();

describeHistoryStoreContract('Redis Cluster', async (limits) => ({ store: new RedisHistoryStore(await cluster.connect(), limits), close: async () => undefined }));
describeUserStreamsContract('Redis Cluster', async (limits) => ({ store: new RedisStreamStore(await cluster.connect(), limits, USER_STREAMS), close: async () => undefined }));
