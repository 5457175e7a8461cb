import { LeasedUserRateLimiter } from '../../src/ratelimit/leased-user-rate-limiter';
import { RedisLeaseSource } from '../../src/ratelimit/user-rate-limiter.redis';
import type { StoreConnection } from '../../src/redis/store-connection';
import { fresh } from './fresh';
import { redisClusterFixture } from './redis-cluster-fixture';
import { BURST, describeUserRateLimiterContract, RATE } from './user-rate-limiter.contract';

const cluster = redisClusterFixture();
const node = (connection: StoreConnection) => new LeasedUserRateLimiter(RATE, BURST, new RedisLeaseSource(connection, RATE, BURST));

describeUserRateLimiterContract('Redis Cluster', async () => [node(await cluster.connect()), node(await cluster.connect())]);

describe('RedisLeaseSource on Redis Cluster', () => {
  it('grants a batch of users in many slots at once (one script per user, no CROSSSLOT)', async () => {
    const source = new RedisLeaseSource(await cluster.connect(), RATE, BURST);
    const users = Array.from({ length: 20 }, () => fresh('user'));
    const grants = await source.grant(users.map((userId) => ({ userId, want: 5 })));
    expect(grants).toEqual(users.map(() => ({ granted: 5, left: BURST - 5 })));
  });
});
