import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { RedisServer, startRedis } from './redis-server';
import { waitForAsync } from './wait-for';

export interface RedisClusterSetup {
  /** Every node, primaries first as `redis-cli --cluster create` was given them. */
  servers: RedisServer[];
  /** REDIS_CLUSTER_NODES: every node's host:port. */
  nodes: string;
  /** The node serving `key`'s slot (a channel's, for sharded pub/sub), as a live node sees it now. */
  primaryFor(key: string): Promise<RedisServer>;
  /** The nodes that are primaries now, as a live node sees it. */
  primaries(): Promise<RedisServer[]>;
  /** Resolves once every live node reports cluster_state:ok (and sees `primaries` primaries with slots). */
  ready(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisClusterOptions {
  primaries: number;
  /** Replicas per primary (`--cluster-replicas`). */
  replicas: number;
  /** `cluster-node-timeout`: how long a primary must be silent to be failed over. */
  nodeTimeoutMs: number;
}

/** Sends one command to one node (a short-lived connection of its own). */
export async function ask<T>(server: RedisServer, ...args: (string | number)[]): Promise<T> {
  const client = new Redis(server.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    return (await client.call(String(args[0]), ...args.slice(1))) as T;
  } finally {
    client.disconnect();
  }
}

/**
 * A real Redis Cluster (Debian's redis-server with cluster-enabled on free loopback ports, each in
 * its own temporary directory, without persistence, joined by `redis-cli --cluster create`). Every
 * slot is served, so a script or transaction whose keys are not in one slot fails with CROSSSLOT.
 */
export async function startRedisCluster({ primaries, replicas, nodeTimeoutMs }: RedisClusterOptions): Promise<RedisClusterSetup> {
  const servers: RedisServer[] = [];
  const args = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(nodeTimeoutMs), '--repl-diskless-sync-delay', '0'];
  try {
    for (let i = 0; i < primaries * (1 + replicas); i++) servers.push(await startRedis(args));
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...servers.map((s) => `127.0.0.1:${s.port}`), '--cluster-replicas', String(replicas), '--cluster-yes']);
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    throw err;
  }
  const byPort = (port: number) => servers.find((s) => s.port === port)!;
  /** One command to the first node that answers (some may be killed). */
  const askAny = async <T>(...args: (string | number)[]): Promise<T> => {
    for (const server of servers) {
      try {
        return await ask<T>(server, ...args);
      } catch {
        // killed: the next one
      }
    }
    throw new Error('no cluster node answers');
  };
  /** CLUSTER NODES as a live node sees it: the live primaries serving slots, with their slot ranges. */
  const table = async () =>
    (await askAny<string>('CLUSTER', 'NODES'))
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .filter((f) => f[2].includes('master') && !f[2].includes('fail') && f.length > 8)
      .map((f) => ({ server: byPort(Number(f[1].split(':')[1].split('@')[0])), ranges: f.slice(8).map((r) => r.split('-').map(Number)) }));
  const setup: RedisClusterSetup = {
    servers,
    nodes: servers.map((s) => `127.0.0.1:${s.port}`).join(','),
    async primaryFor(key) {
      const slot = await askAny<number>('CLUSTER', 'KEYSLOT', key);
      const owner = (await table()).find(({ ranges }) => ranges.some(([from, to = from]) => slot >= from && slot <= to));
      if (!owner) throw new Error(`nobody serves slot ${slot}`);
      return owner.server;
    },
    primaries: async () => (await table()).map(({ server }) => server),
    async ready(timeoutMs) {
      await waitForAsync(
        async () => {
          const infos = await Promise.all(servers.map((s) => ask<string>(s, 'CLUSTER', 'INFO').catch(() => undefined)));
          return infos.every((info) => info === undefined || info.includes('cluster_state:ok')) && (await table()).length === primaries;
        },
        timeoutMs,
        100,
      );
    },
    stop: async () => {
      await Promise.all(servers.splice(0).map((s) => s.stop()));
    },
  };
  await setup.ready(15_000);
  if (replicas > 0) {
    // A replica that has not synced yet cannot take over.
    await waitForAsync(async () => {
      const links = await Promise.all(servers.map((s) => ask<string>(s, 'INFO', 'replication')));
      return links.filter((info) => info.includes('master_link_status:up')).length === primaries * replicas;
    }, 15_000, 100);
  }
  return setup;
}
