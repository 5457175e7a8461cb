// A Redis Cluster for the scaling scenario (`--set scaling.redis=cluster`): `primaries`
// redis-servers with cluster-enabled, no replicas, joined by `redis-cli --cluster create`; each is
// started like the single redis-server (startRedis: loopback, free port, no persistence, pinned to
// the servers' core, output in logs/<label>-<i>.log). A port of test/support/redis-cluster.ts,
// without replicas or failover.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { startRedis } from './servers.mjs';
import { sleep } from './stats.mjs';

/** One command to one server on a short-lived connection. */
async function ask(port, ...args) {
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    return await client.call(String(args[0]), ...args.slice(1));
  } finally {
    client.disconnect();
  }
}

/**
 * @returns {{ servers: {pid, port, url, stop}[], nodes: string, slotOwner(key): Promise<number>, stop(): Promise<void> }}
 *   nodes: REDIS_CLUSTER_NODES; slotOwner: the index in `servers` of the primary serving `key`'s slot.
 */
export async function startRedisCluster({ outDir, label, core = 0, primaries = 3 }) {
  const servers = [];
  const stop = async () => {
    for (const s of servers.splice(0)) await s.stop();
  };
  try {
    for (let i = 0; i < primaries; i++) {
      const conf = `${label}-${i + 1}.nodes.conf`;
      fs.rmSync(path.join(outDir, 'logs', conf), { force: true });
      servers.push(await startRedis({ outDir, label: `${label}-${i + 1}`, core, args: ['--cluster-enabled', 'yes', '--cluster-config-file', conf, '--cluster-node-timeout', '5000'] }));
    }
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...servers.map((s) => `127.0.0.1:${s.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    // Ready: every primary says cluster_state:ok and knows them all.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const infos = await Promise.all(servers.map((s) => ask(s.port, 'CLUSTER', 'INFO').catch(() => '')));
      if (infos.every((t) => t.includes('cluster_state:ok') && t.includes(`cluster_known_nodes:${primaries}`))) break;
      if (Date.now() > deadline) throw new Error(`redis cluster not ready: ${infos.map((t) => /cluster_state:\w+/.exec(t)?.[0]).join(', ')}`);
      await sleep(100);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  // CLUSTER SLOTS: [[from, to, [host, port, id], ...], ...]
  const ranges = (await ask(servers[0].port, 'CLUSTER', 'SLOTS')).map(([from, to, [, port]]) => ({ from, to, owner: servers.findIndex((s) => s.port === Number(port)) }));
  return {
    servers,
    nodes: servers.map((s) => `127.0.0.1:${s.port}`).join(','),
    async slotOwner(key) {
      const slot = await ask(servers[0].port, 'CLUSTER', 'KEYSLOT', key);
      return ranges.find((r) => slot >= r.from && slot <= r.to)?.owner ?? -1;
    },
    stop,
  };
}
