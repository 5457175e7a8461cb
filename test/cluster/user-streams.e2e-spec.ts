import Redis from 'ioredis';
import { USER_STREAMS } from '../../src/history/user-streams';
import { expectOfflineDevicesToRecover } from '../support/direct-recovery';
import { RedisServer, startRedis } from '../support/redis-server';
import { CLUSTER_NODE_ENV, killServerProcessesAfterEach, startServerProcess } from '../support/server-process';
import { mintToken } from '../support/tokens';
import { connect } from '../support/ws-client';

/** Per-user streams on real nodes and a real redis-server (docs/protocol.md, section 10.1). */
describe('user streams on Redis', () => {
  killServerProcessesAfterEach();
  let redis: RedisServer;
  beforeEach(async () => {
    redis = await startRedis();
  });
  afterEach(() => redis.stop());

  const node = (id: string) => startServerProcess({ REDIS_URL: redis.url, NODE_ID: id, ...CLUSTER_NODE_ENV });

  it("recovers on each of a user's two devices, on two nodes, the direct messages sent from a third while both were offline", async () => {
    const [a, b] = await Promise.all([node('us-a'), node('us-b')]);
    await expectOfflineDevicesToRecover({ phone: a.port, laptop: b.port, sender: b.port });
  });

  it("closes the user's sessions with 4012 when the stream moved on without the node hearing it, even if it then goes quiet", async () => {
    const a = await node('us-gap');
    const bob = await connect(a.wsUrl, { token: await mintToken({ sub: 'gap-bob' }) });
    await bob.nextOfType('welcome');
    // A message stored whose publish this node never received (what a dropped subscriber loses).
    const command = new Redis(redis.url);
    try {
      await command.hincrby(USER_STREAMS.redisKeys('gap-bob')[0], 'offset', 1);
    } finally {
      command.disconnect();
    }
    const started = Date.now();
    expect(await bob.closed).toEqual({ code: 4012, reason: 'missed messages: reconnect to recover' });
    // The periodic check: STUCK_AFTER_MS (3 s) of no progress, seen at a liveness tick (NODE_TTL_MS / 3).
    expect(Date.now() - started).toBeLessThan(8000);
  }, 20_000);
});
