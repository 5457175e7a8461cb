import { RedisTicketStore } from '../../src/auth/ticket-store.redis';
import { redisClusterFixture } from './redis-cluster-fixture';
import { describeTicketStoreContract } from './ticket-store.contract';

const cluster = redisClusterFixture();

describeTicketStoreContract('Redis Cluster', async () => new RedisTicketStore(await cluster.connect()));
