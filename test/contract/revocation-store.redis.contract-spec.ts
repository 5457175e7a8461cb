import { RedisRevocationStore } from '../../src/revocation/revocation-store.redis';
import { redisFixture } from './redis-fixture';
import { describeRevocationStoreContract } from './revocation-store.contract';

const redis = redisFixture();

describeRevocationStoreContract('Redis', async () => new RedisRevocationStore(await redis.connect()));

describe('RedisRevocationStore across nodes and without Redis (Redis only: see RevocationStore)', () => {
  it('lists on one node what another added', async () => {
    const [a, b] = [new RedisRevocationStore(await redis.connect()), new RedisRevocationStore(await redis.connect())];
    const untilMs = Date.now() + 60_000;
    await a.add({ userId: 'shared-user', jti: 'shared-jti', untilMs });
    expect(await b.active()).toEqual(expect.arrayContaining([{ userId: 'shared-user', untilMs }, { jti: 'shared-jti', untilMs }]));
  });

  it('rejects add() and active() while Redis is unreachable', async () => {
    const clients = await redis.connect();
    const store = new RedisRevocationStore(clients);
    await redis.whileDown(clients, async () => {
      await expect(store.add({ userId: 'down', untilMs: Date.now() + 60_000 })).rejects.toThrow();
      await expect(store.active()).rejects.toThrow();
    });
  }, 15_000);
});
