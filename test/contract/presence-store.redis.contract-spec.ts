import { RedisPresenceStore } from '../../src/presence/presence-store.redis';
import { fresh } from './fresh';
import { describePresenceStoreContract, presenceNode, PresenceStoreFactory } from './presence-store.contract';
import { describeRedisPresenceAcrossNodes } from './presence-store.redis-shared';
import { redisFixture } from './redis-fixture';

const redis = redisFixture();
const onRedis: PresenceStoreFactory = async (_registry, nodeId) => new RedisPresenceStore(await redis.connect(), nodeId);

describePresenceStoreContract('Redis', onRedis);

describeRedisPresenceAcrossNodes('Redis', onRedis);

describe('RedisPresenceStore without Redis', () => {
  it('rejects while Redis is unreachable', async () => {
    const node = await presenceNode(onRedis);
    const s = await node.connect(fresh('user'));
    const clients = await redis.connect();
    const store = new RedisPresenceStore(clients, node.nodeId);
    await redis.whileDown(clients, async () => {
      await expect(store.connected(s)).rejects.toThrow();
      await expect(store.members(fresh('room'))).rejects.toThrow();
    });
  }, 15_000);
});
