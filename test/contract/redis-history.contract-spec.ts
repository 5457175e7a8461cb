import { RedisHistoryStore } from '../../src/history/redis-history.store';
import { RedisClients } from '../../src/redis/redis-clients';
import { RedisServer, startRedis } from '../support/redis-server';
import { describeHistoryStoreContract } from './history-store.contract';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

const connected = async (clients: RedisClients) => {
  while (!clients.ready) await new Promise((resolve) => setTimeout(resolve, 10));
};

describeHistoryStoreContract('Redis', async (limits) => {
  const clients = new RedisClients(redis.url);
  await connected(clients);
  return { store: new RedisHistoryStore(clients, limits), close: () => clients.close() };
});

describe('RedisHistoryStore when Redis loses its data', () => {
  it('starts a new epoch, so recovery answers null instead of a silent gap', async () => {
    const clients = new RedisClients(redis.url);
    await connected(clients);
    const store = new RedisHistoryStore(clients, { sizePerRoom: 10, ttlMs: 60_000, maxBytes: 1 << 20 });
    const { data } = await store.append('restart', { room: 'restart', messageId: '1', from: 'a', body: 1, ts: 0 });
    await redis.restart();
    await connected(clients);
    const after = await store.position('restart');
    expect(after.epoch).not.toBe(data.epoch);
    expect(after.offset).toBe(0);
    expect(await store.since('restart', { offset: data.offset, epoch: data.epoch })).toBeNull();
    await clients.close();
  }, 20000);
});
