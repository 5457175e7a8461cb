import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, RedisServer, startRedis } from './redis-server';

export interface SentinelSetup {
  /** The name the sentinels monitor (REDIS_SENTINEL_NAME). */
  name: string;
  primary: RedisServer;
  replica: RedisServer;
  /** REDIS_SENTINELS: the three sentinels' host:port. */
  sentinels: string;
  /** The primary's port, as the first reachable sentinel names it. */
  primaryPort(): Promise<number>;
  /** Resolves with the time of the next `+switch-master` a sentinel announces. */
  nextSwitch(): Promise<number>;
  stop(): Promise<void>;
}

export interface SentinelTimings {
  /** `sentinel down-after-milliseconds`: how long the primary must be silent to be down. */
  downAfterMs: number;
  /** `sentinel failover-timeout`. */
  failoverTimeoutMs: number;
}

/**
 * A primary, a replica (`--replicaof`) and three redis-sentinel processes (Debian's redis-sentinel
 * package), on loopback, without persistence; quorum 2.
 */
export async function startSentinels({ downAfterMs, failoverTimeoutMs }: SentinelTimings): Promise<SentinelSetup> {
  const name = 'rg';
  const primary = await startRedis(['--repl-diskless-sync-delay', '0']);
  const replica = await startRedis(['--replicaof', '127.0.0.1', String(primary.port)]);
  const probe = new Redis({ host: '127.0.0.1', port: replica.port, maxRetriesPerRequest: 1 });
  try {
    for (let i = 0; i < 100 && !/master_link_status:up/.test(await probe.info('replication')); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    probe.disconnect();
  }
  const dir = mkdtempSync(join(tmpdir(), 'rg-sentinel-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const conf = join(dir, `sentinel-${i}.conf`);
    // The sentinel rewrites its configuration file: each has its own.
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${primary.port} 2`,
        `sentinel down-after-milliseconds ${name} ${downAfterMs}`,
        `sentinel failover-timeout ${name} ${failoverTimeoutMs}`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    const child = spawn('redis-sentinel', [conf], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    ports.push(port);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        if (out.includes('+monitor master')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-sentinel exited (${code}): ${out}`)));
    });
  }
  const sentinel = () => new Redis({ host: '127.0.0.1', port: ports[0], lazyConnect: true, maxRetriesPerRequest: 1 });
  const watchers: Redis[] = [];
  return {
    name,
    primary,
    replica,
    sentinels: ports.map((port) => `127.0.0.1:${port}`).join(','),
    async primaryPort() {
      const client = sentinel();
      try {
        const [, port] = (await client.call('SENTINEL', 'get-master-addr-by-name', name)) as [string, string];
        return Number(port);
      } finally {
        client.disconnect();
      }
    },
    async nextSwitch() {
      const watcher = sentinel();
      watchers.push(watcher);
      await watcher.subscribe('+switch-master');
      return new Promise<number>((resolve) => watcher.once('message', () => resolve(Date.now())));
    },
    async stop() {
      for (const watcher of watchers) watcher.disconnect();
      for (const child of children) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      await Promise.all([primary.stop(), replica.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
