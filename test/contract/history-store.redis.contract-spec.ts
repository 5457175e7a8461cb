import { RedisHistoryStore, RedisStreamStore } from '../../src/history/history-store.redis';
import { USER_STREAMS } from '../../src/history/user-streams';
import { userTag } from '../../src/redis/user-tag';
import { waitFor } from '../support/wait-for';
import { describeHistoryStoreContract, describeUserStreamsContract } from './history-store.contract';
import { redisFixture } from './redis-fixture';

const redis = redisFixture();

describeHistoryStoreContract('Redis', async (limits) => {
  const clients = await redis.connect();
  return { store: new RedisHistoryStore(clients, limits), close: async () => undefined };
});

describeUserStreamsContract('Redis', async (limits) => ({ store: new RedisStreamStore(await redis.connect(), limits, USER_STREAMS), close: async () => undefined }));

describe('RedisHistoryStore when Redis loses its data', () => {
  it('starts a new epoch, so recovery answers null instead of a silent gap', async () => {
    const clients = await redis.connect();
    const store = new RedisHistoryStore(clients, { sizePerRoom: 10, ttlMs: 60_000 });
    const { data } = await store.append('restart', { room: 'restart', messageId: '1', from: 'a', body: 1, ts: 0 });
    await redis.server().restart();
    await waitFor(() => clients.ready, 5000);
    const after = await store.position('restart');
    expect(after.epoch).not.toBe(data.epoch);
    expect(after.offset).toBe(0);
    expect(await store.since('restart', { offset: data.offset, epoch: data.epoch })).toBeNull();
  }, 20000);
});

describe('RedisHistoryStore memory (Redis only: see SharedHistoryStore)', () => {
  it('gives every key it writes a TTL, so Redis can expire and evict them', async () => {
    const clients = await redis.connect();
    const store = new RedisHistoryStore(clients, { sizePerRoom: 10, ttlMs: 60_000 });
    await store.position('ttl-read');
    await store.append('ttl-written', { room: 'ttl-written', messageId: '1', from: 'a', body: 1, ts: 0 });
    const keys = [...(await clients.command.keys('rg:h:{ttl-read}:*')), ...(await clients.command.keys('rg:h:{ttl-written}:*'))];
    expect(keys.sort()).toEqual(['rg:h:{ttl-read}:meta', 'rg:h:{ttl-written}:log', 'rg:h:{ttl-written}:meta']);
    for (const key of keys) expect(await clients.command.pttl(key)).toBeGreaterThan(0);
  });
});

describe('RedisStreamStore over user streams (Redis only)', () => {
  it('keeps a user stream in `rg:us:{u:<tag>}:<userId>:*`, every key with a TTL', async () => {
    const clients = await redis.connect();
    const store = new RedisStreamStore(clients, { sizePerRoom: 10, ttlMs: 60_000 }, USER_STREAMS);
    const userId = `keys-${Date.now()}`;
    await store.append(userId, { from: 'a', body: 1, messageId: '1', ts: 0 });
    const keys = (await clients.command.keys(`rg:us:*:${userId}:*`)).sort();
    expect(keys).toEqual([`rg:us:{u:${userTag(userId)}}:${userId}:log`, `rg:us:{u:${userTag(userId)}}:${userId}:meta`]);
    for (const key of keys) expect(await clients.command.pttl(key)).toBeGreaterThan(0);
  });
});

describe('RedisHistoryStore scripts (EVALSHA)', () => {
  it('sends a script by its SHA1 once Redis has it, and its text again after SCRIPT FLUSH', async () => {
    const clients = await redis.connect();
    const store = new RedisHistoryStore(clients, { sizePerRoom: 10, ttlMs: 60_000 });
    const sent: string[] = [];
    const command = clients.command as unknown as { sendCommand(c: { name: string }): unknown };
    const original = command.sendCommand.bind(command);
    command.sendCommand = (c) => (sent.push(c.name), original(c));
    try {
      await store.append('sha', { room: 'sha', messageId: '1', from: 'a', body: 1, ts: 0 });
      await store.append('sha', { room: 'sha', messageId: '2', from: 'a', body: 2, ts: 0 });
      expect(sent.slice(-1)).toEqual(['evalsha']);
      await clients.command.script('FLUSH');
      sent.length = 0;
      const { data } = await store.append('sha', { room: 'sha', messageId: '3', from: 'a', body: 3, ts: 0 });
      expect(sent.filter((name) => name !== 'script')).toEqual(['evalsha', 'eval']);
      expect(data.offset).toBe(3);
      expect(await store.since('sha', { offset: 1, epoch: data.epoch })).toHaveLength(2);
    } finally {
      command.sendCommand = original;
    }
  });
});
