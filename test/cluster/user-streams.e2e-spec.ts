import { expectOfflineDevicesToRecover } from '../support/direct-recovery';
import { RedisServer, startRedis } from '../support/redis-server';
import { CLUSTER_NODE_ENV, killServerProcessesAfterEach, startServerProcess } from '../support/server-process';

/** Per-user streams across two real nodes on one redis-server (docs/protocol.md, section 9.1). */
describe('user streams across two nodes on Redis', () => {
  killServerProcessesAfterEach();
  let redis: RedisServer;
  beforeEach(async () => {
    redis = await startRedis();
  });
  afterEach(() => redis.stop());

  it("recovers on each of a user's two devices, on two nodes, the direct messages sent from a third while both were offline", async () => {
    const [a, b] = await Promise.all(['us-a', 'us-b'].map((id) => startServerProcess({ REDIS_URL: redis.url, NODE_ID: id, ...CLUSTER_NODE_ENV })));
    await expectOfflineDevicesToRecover({ phone: a.port, laptop: b.port, sender: b.port });
  });
});
