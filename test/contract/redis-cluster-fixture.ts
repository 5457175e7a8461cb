import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import type { StoreConnection } from '../../src/redis/store-connection';
import { RedisServer, startRedis } from '../support/redis-server';
import { waitFor, waitForAsync } from '../support/wait-for';

const PRIMARIES = 3;

/**
 * A real 3-primary Redis Cluster per spec file (Debian's redis-server with cluster-enabled on
 * free loopback ports, joined by `redis-cli --cluster create`; started in beforeAll, stopped in
 * afterAll), and the store connections a test opens on it through an ioredis Cluster client,
 * closed after each test. Every slot is served, so a script or transaction whose keys are not in
 * one slot fails with CROSSSLOT, as in production. Tests share the cluster: each uses fresh keys.
 */
export function redisClusterFixture(): {
  /** A new ioredis Cluster client as the stores take it, once the cluster is ready for it. */
  connect(): Promise<StoreConnection & { command: Cluster }>;
} {
  const servers: RedisServer[] = [];
  const open: Cluster[] = [];
  beforeAll(async () => {
    for (let i = 0; i < PRIMARIES; i++) servers.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000']));
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...servers.map((s) => `127.0.0.1:${s.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    const probes = servers.map((s) => new Redis(s.port, '127.0.0.1', { lazyConnect: true }));
    try {
      await waitForAsync(async () => (await Promise.all(probes.map((p) => p.cluster('INFO')))).every((info) => info.includes('cluster_state:ok')), 15_000, 100);
    } finally {
      probes.forEach((p) => p.disconnect());
    }
  }, 30_000);
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((c) => c.quit()));
  });
  afterAll(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });
  return {
    connect: async () => {
      if (servers.length === 0) throw new Error('cluster not started (call redisClusterFixture() at the top of a spec file)');
      const command = new Cluster([{ host: '127.0.0.1', port: servers[0].port }], { enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 1 } });
      open.push(command);
      await waitFor(() => command.status === 'ready', 10_000);
      return { command, mode: 'cluster', whenReady: (timeoutMs) => waitFor(() => command.status === 'ready', timeoutMs).catch(() => undefined) };
    },
  };
}
