// Cluster fan-out: two product nodes with REDIS_URL to one redis-server (all three pinned to the
// servers' core, so their CPU adds up like a single node's), members split across the nodes
// (even indexes on node A, odd on node B), the publisher on node A. A message is appended to the
// room's history in Redis, published on its pub/sub channel, and delivered by each node to its own
// members. Measured like the single-node fan-out (scenarios/fanout.mjs): at the same delivered
// rate, server CPU per delivered message (both nodes; Redis apart), publish-to-receive p50/p99,
// lost; then the max sustained delivered rate. The window's CPU runs until every member of both
// nodes received every message.
import path from 'node:path';
import { Server, startRedis } from '../lib/servers.mjs';
import { FanoutRoom, fmtRate } from './fanout.mjs';

export async function clusterRun(ctx, { size, reps, maxSearch }) {
  const f = ctx.cfg.fanout;
  const redis = await startRedis({ outDir: ctx.serverOptions.outDir, label: 'cluster-redis', core: ctx.serverOptions.core });
  const nodes = [];
  let room;
  try {
    for (const id of ['a', 'b']) {
      nodes.push(await Server.start('product', { ...ctx.serverOptions, label: `cluster-node-${id}`, extraEnv: { REDIS_URL: redis.url, NODE_ID: `bench-${id}` } }));
    }
    ctx.servers.add(...nodes);
    room = new FanoutRoom(ctx, nodes[0], { memberServers: nodes, otherPids: [redis.pid] });
    await room.open();
    const fill = await room.grow(size);
    const out = { size, nodes: 2, fill, fixed: [], max: [] };
    for (let rep = 0; rep < reps; rep++) {
      const profile = ctx.profileDir && rep === 0;
      if (profile) for (const n of nodes) await n.profileStart();
      let r;
      try {
        r = await ctx.undisturbed(`cluster fixed ${size}`, () => room.window({ deliveredRate: f.fixedRate, seconds: f.fixedSeconds, warmupSeconds: f.fixedWarmupSeconds }), (x) => x.cpu);
      } finally {
        // --profile: both nodes during the first fixed-rate window (bench/profile-summary.mjs).
        if (profile) for (const [i, n] of nodes.entries()) await n.profileStop(path.join(ctx.profileDir, `cluster-${size}-node-${'ab'[i]}.cpuprofile`));
      }
      out.fixed.push({ ...r, rep: rep + 1 });
      ctx.log(
        `  cluster fixed ${size} @${fmtRate(f.fixedRate)}: ${r.serverCpuPerDeliveredUs.toFixed(3)} us/msg on the nodes + ${r.otherCpuPerDeliveredUs.toFixed(3)} us/msg Redis ` +
          `(servers ${r.cpu.serverCpuPct.toFixed(0)}%, gen ${r.cpu.generatorCpuPct.toFixed(0)}%) p50 ${r.latencyMs.p50} p99 ${r.latencyMs.p99} ms lost ${r.lost}`,
      );
    }
    if (maxSearch) {
      const r = await room.maxSearch(f.ladderStart, f.ladderFactor, true);
      out.max.push({ ...r, rep: 1 });
      ctx.log(`  cluster max ${size}: ${fmtRate(r.maxDeliveredRate)} (p99 ${r.atMax?.p99} ms, servers ${r.atMax?.serverCpuPct}%)`);
    }
    return out;
  } finally {
    await room?.close();
    for (const n of nodes) {
      ctx.servers.delete(n);
      await n.stop();
    }
    await redis.stop();
  }
}
