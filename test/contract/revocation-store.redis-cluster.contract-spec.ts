import { RedisRevocationStore } from '../../src/revocation/revocation-store.redis';
import { redisClusterFixture } from './redis-cluster-fixture';
import { describeRevocationStoreContract } from './revocation-store.contract';

const cluster = redisClusterFixture();

describeRevocationStoreContract('Redis Cluster', async () => new RedisRevocationStore(await cluster.connect()));
