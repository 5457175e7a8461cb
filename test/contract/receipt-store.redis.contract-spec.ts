import { RedisReceiptStore } from '../../src/history/receipt-store.redis';
import { userTag } from '../../src/redis/user-tag';
import { redisFixture } from './redis-fixture';
import { describeReceiptStoreContract } from './receipt-store.contract';

const redis = redisFixture();

describeReceiptStoreContract('Redis', async (ttlMs) => new RedisReceiptStore(await redis.connect(), ttlMs));

describe('RedisReceiptStore keys and failures (Redis only: see ReceiptStore)', () => {
  it("claims on one node what another node claimed, in a key with the recipient's hash tag and a TTL", async () => {
    const [one, two] = [await redis.connect(), await redis.connect()];
    const [a, b] = [new RedisReceiptStore(one, 60_000), new RedisReceiptStore(two, 60_000)];
    expect(await a.claim('tagged{x}', 'm1', 'read')).toBe(true);
    expect(await b.claim('tagged{x}', 'm1', 'read')).toBe(false);
    const keys = await one.command.keys(`rg:rc:{u:${userTag('tagged{x}')}}:*`);
    expect(keys).toHaveLength(1);
    const ttl = await one.command.pttl(keys[0]);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('rejects while Redis is unreachable', async () => {
    const clients = await redis.connect();
    const store = new RedisReceiptStore(clients, 60_000);
    await redis.whileDown(clients, async () => {
      await expect(store.claim('down', 'm1', 'read')).rejects.toThrow();
    });
    expect(await store.claim('down', 'm1', 'read')).toBe(true);
  }, 15_000);
});
