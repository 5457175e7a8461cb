import { Cluster } from 'ioredis';
import { RedisClients } from '../../src/redis/redis-clients';
import type { StoreConnection } from '../../src/redis/store-connection';
import { RedisClusterSetup, startRedisCluster } from '../support/redis-cluster';
import { waitFor } from '../support/wait-for';

/**
 * A real 3-primary Redis Cluster per spec file (test/support/redis-cluster.ts, no replicas;
 * started in beforeAll, stopped in afterAll), and the connections a test opens on it (a store's
 * ioredis Cluster client, or a node's RedisClients), closed after each test. Every slot is served, so a script or transaction whose keys are not in
 * one slot fails with CROSSSLOT, as in production. Tests share the cluster: each uses fresh keys.
 */
export function redisClusterFixture(): {
  /** A new ioredis Cluster client as the stores take it, once the cluster is ready for it. */
  connect(): Promise<StoreConnection & { command: Cluster }>;
  /** A node's connections as the application opens them on REDIS_CLUSTER_NODES, once ready. */
  clients(): Promise<RedisClients>;
  /** The cluster's servers (which primary serves what). */
  setup(): RedisClusterSetup;
} {
  let cluster: RedisClusterSetup | undefined;
  const open: { quit(): Promise<unknown> }[] = [];
  beforeAll(async () => {
    cluster = await startRedisCluster({ primaries: 3, replicas: 0, nodeTimeoutMs: 5000 });
  }, 30_000);
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((c) => c.quit()));
  });
  afterAll(async () => {
    await cluster?.stop();
    cluster = undefined;
  });
  const started = () => {
    if (!cluster) throw new Error('cluster not started (call redisClusterFixture() at the top of a spec file)');
    return cluster;
  };
  return {
    setup: started,
    connect: async () => {
      const command = new Cluster([{ host: '127.0.0.1', port: started().servers[0].port }], { enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 1 } });
      open.push(command);
      await waitFor(() => command.status === 'ready', 10_000);
      return { command, mode: 'cluster', whenReady: (timeoutMs) => waitFor(() => command.status === 'ready', timeoutMs).catch(() => undefined) };
    },
    clients: async () => {
      const clients = new RedisClients({ mode: 'cluster', nodes: [{ host: '127.0.0.1', port: started().servers[0].port }] });
      open.push({ quit: () => clients.close() });
      await waitFor(() => clients.ready, 10_000);
      return clients;
    },
  };
}
