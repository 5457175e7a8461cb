import { RedisPresenceStore } from '../../src/presence/presence-store.redis';
import { describePresenceStoreContract, PresenceStoreFactory } from './presence-store.contract';
import { describeRedisPresenceAcrossNodes } from './presence-store.redis-shared';
import { redisClusterFixture } from './redis-cluster-fixture';

const cluster = redisClusterFixture();
const onCluster: PresenceStoreFactory = async (_registry, nodeId) => new RedisPresenceStore(await cluster.connect(), nodeId);

describePresenceStoreContract('Redis Cluster', onCluster);

describeRedisPresenceAcrossNodes('Redis Cluster', onCluster);
