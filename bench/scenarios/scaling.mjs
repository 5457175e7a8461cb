// Scaling: one redis-server and N product nodes (N from `scaling.nodes`, e.g. 1..4), all pinned
// to the servers' core (their CPU adds up like one machine's; 4 nodes on one core cannot show raw
// growth, so the curve is CPU-normalized). For each N, two parts, on fresh processes:
//
//   A. "deployment": rooms spread the way a deployment places them. `smallRooms` rooms of
//      `smallMembers` members each have ALL their members on ONE node (room r on node r % N), and
//      `bigRooms` rooms of `bigMembers` members have members on every node (member i on node
//      i % N). One publisher connection per node (not a member): a small room's publishes come
//      from its own node, a big room's from the nodes in turn. Publishes go out open-loop at
//      `publishRate`/s in total, `bigShare` of them into the big rooms. Per window (from the first
//      publish until every member received every message): publishes acked, messages delivered,
//      the nodes' CPU (sum), Redis's CPU (/proc of redis-server), Redis `INFO stats` deltas
//      (total_net_output_bytes / total_net_input_bytes / commands), and, when the product has it,
//      each node's `realtime_bus_messages_received_total{kind}` from /metrics (before and after
//      the window, outside the CPU meter). Derived: Redis-to-node messages per publish, Redis
//      output bytes per publish and per delivered message, node CPU per delivered message, Redis
//      CPU per publish (from INFO cpu, microsecond resolution, less Redis's idle CPU measured with
//      everything connected just before the windows; /proc's figure is in the JSON too).
//      Without the node metric, the messages per publish are ESTIMATED from Redis's output bytes:
//      a probe subscriber (pattern `rg:room:*`, like the nodes of the pattern-subscription bus)
//      measures the bytes of one bus message during the unmetered warm-up; the command replies
//      per publish are what one node (which receives each publish once in any design) leaves
//      after that: est(N) = (out(N)/publish - out(1)/publish) / probe bytes + 1.
//   B. "spread": one room of `spreadSize` members spread evenly over the N nodes (FanoutRoom of
//      fanout.mjs, publisher on node 1): `reps` windows at `spreadFixedRate` delivered msg/s (node and
//      Redis CPU per delivered message at equal load for every N), then the max sustained
//      delivered rate (the fan-out ladder: p99 < 100 ms, nothing lost). Reported: delivered msg/s,
//      and delivered msg/s per node-CPU-second (1e6 / node CPU us per delivered message).
//
// With --baseline-dir the baseline slot runs that product build the same way (A/B in one run,
// builds alternating per N); without it the scenario runs the product only.
//
// `scaling.redis`: 'single' (one redis-server, REDIS_URL) or 'cluster' (`--set scaling.redis=cluster`:
// a Redis Cluster of `clusterPrimaries` primaries, no replicas, bench/lib/redis-cluster.mjs, every
// primary pinned to the servers' core; the nodes get REDIS_CLUSTER_NODES and use sharded pub/sub).
// On a Cluster, Redis's figures (INFO cpu/stats/commandstats) are summed over the primaries, and
// each window also keeps them per primary (`perPrimary`): its rooms (by the slot of the room's
// channel rg:room:{<room>}), the publishes into them, its SPUBLISH and EVAL/EVALSHA calls, CPU
// (its own idle subtracted) and bytes. The bus probe (a PSUBSCRIBE, which sees no SPUBLISH) is
// skipped there: the messages per publish come from the node metric only.
import { performance } from 'node:perf_hooks';
import http from 'node:http';
import Redis from 'ioredis';
import { connectMany, Kind } from '../lib/lean-ws.mjs';
import { startMeter } from '../lib/proc.mjs';
import { runSchedule } from '../lib/schedule.mjs';
import { startRedisCluster } from '../lib/redis-cluster.mjs';
import { Server, startRedis } from '../lib/servers.mjs';
import { median, Samples, sleep, waitFor } from '../lib/stats.mjs';
import { FanoutRoom, fmtRate } from './fanout.mjs';

const PAD = 'x'.repeat(48);
const BODY_MARK = Buffer.from('{"s":');
const BUS_METRIC = 'realtime_bus_messages_received_total';

/** Runs part A and B for every N of cfg.scaling.nodes, for each product-like kind. */
export async function scalingRun(ctx, kinds) {
  const c = ctx.cfg.scaling;
  const out = { config: c, byKind: {} };
  for (const kind of kinds) out.byKind[kind] = { deploy: [], spread: [] };
  for (const n of c.nodes) {
    // Alternate which build goes first from one N to the next.
    const order = c.nodes.indexOf(n) % 2 === 0 ? kinds : [...kinds].reverse();
    for (const kind of order) {
      ctx.log(`  scaling ${kind}: ${n} node(s) + ${redisLabel(c)}`);
      const r = await withCluster(ctx, kind, n, async (nodes, redis) => {
        const deploy = await deployPart(ctx, kind, nodes, redis);
        const spread = c.spread ? await spreadPart(ctx, kind, nodes, redis) : null;
        return { deploy, spread };
      });
      out.byKind[kind].deploy.push(r.deploy);
      if (r.spread) out.byKind[kind].spread.push(r.spread);
    }
  }
  // Without the node metric: Redis-to-node messages per publish estimated from Redis's output
  // bytes against the 1-node run of the same build (see the header).
  for (const byKind of Object.values(out.byKind)) {
    const one = byKind.deploy.find((d) => d.nodes === 1);
    const oneOut = one ? median(one.windows.map((w) => w.redisOutBytesPerPublish)) : null;
    for (const d of byKind.deploy) {
      for (const w of d.windows) {
        w.busMessagesPerPublishFromBytes = oneOut !== null && d.busMessageBytes ? (w.redisOutBytesPerPublish - oneOut) / d.busMessageBytes + 1 : null;
      }
    }
  }
  return out;
}

export const redisLabel = (c) => (c.redis === 'cluster' ? `a ${c.clusterPrimaries ?? 3}-primary Redis Cluster` : 'redis-server');

/**
 * Redis (one server or a Cluster, per `scaling.redis`) and N product nodes on it. `redis`:
 * { servers: [{pid, port, url}], pids, clients (one per server, for INFO), env, cluster (or null), url (single only) }.
 */
async function withCluster(ctx, kind, n, fn) {
  const c = ctx.cfg.scaling;
  const opts = { outDir: ctx.serverOptions.outDir, label: `scaling-${kind}-${n}-redis`, core: ctx.serverOptions.core };
  let redis;
  if (c.redis === 'cluster') {
    const cluster = await startRedisCluster({ ...opts, primaries: c.clusterPrimaries ?? 3 });
    redis = { servers: cluster.servers, cluster, env: { REDIS_CLUSTER_NODES: cluster.nodes }, url: null, stop: cluster.stop };
  } else if (c.redis === 'single' || c.redis === undefined) {
    const one = await startRedis(opts);
    redis = { servers: [one], cluster: null, env: { REDIS_URL: one.url }, url: one.url, stop: one.stop };
  } else throw new Error(`scaling.redis: 'single' or 'cluster', not ${c.redis}`);
  redis.pids = redis.servers.map((s) => s.pid);
  const nodes = [];
  try {
    for (let i = 0; i < n; i++) {
      nodes.push(await Server.start(kind, { ...ctx.serverOptions, label: `scaling-${kind}-${n}-node-${i + 1}`, extraEnv: { ...redis.env, NODE_ID: `bench-${i + 1}` } }));
    }
    ctx.servers.add(...nodes);
    redis.clients = redis.servers.map((s) => new Redis(s.url, { lazyConnect: false, maxRetriesPerRequest: 1 }));
    return await fn(nodes, redis);
  } finally {
    for (const cl of redis.clients ?? []) cl.disconnect();
    for (const node of nodes) {
      ctx.servers.delete(node);
      await node.stop();
    }
    await redis.stop();
  }
}

// ---- part A: the deployment mix -------------------------------------------------------------------

async function deployPart(ctx, kind, nodes, redis) {
  const c = ctx.cfg.scaling;
  const n = nodes.length;
  const rooms = [];
  for (let r = 0; r < c.smallRooms; r++) rooms.push({ name: `public:s${String(r).padStart(4, '0')}`, small: true, home: r % n, members: [] });
  for (let r = 0; r < c.bigRooms; r++) rooms.push({ name: `public:big${r}`, small: false, home: -1, members: [] });
  // Members: small rooms first, then the big rooms; client index i takes token i.
  const plan = [];
  for (const room of rooms) {
    const size = room.small ? c.smallMembers : c.bigMembers;
    for (let m = 0; m < size; m++) plan.push({ room, node: room.small ? room.home : m % n, sampled: m === 0 });
  }
  // On a Cluster: the primary serving each room's channel (its history keys share the slot).
  const shards = redis.servers.length;
  if (redis.cluster) for (const room of rooms) room.shard = await redis.cluster.slotOwner(`rg:room:{${room.name}}`);
  const rec = { recording: null };
  const onSampled = (client, k, buf, ps, pe) => {
    if (k !== Kind.Message || rec.recording === null) return;
    const now = performance.now();
    const i = buf.indexOf(BODY_MARK, ps);
    if (i < 0 || i >= pe) return;
    let j = i + BODY_MARK.length;
    while (buf[j] >= 48 && buf[j] <= 57) j++;
    j += 5; // ,"t":
    let end = j;
    while (buf[end] !== 0x2c) end++;
    rec.recording.push(now - Number(buf.toString('latin1', j, end)));
  };
  const t0 = performance.now();
  const { clients, failures, firstError } = await connectMany(plan.length, (i) => ctx.connectOptions(nodes[plan[i].node], i, 'member'), {
    concurrency: 64,
    prepare: (cl, i) => {
      if (plan[i].sampled) cl.onFrame = onSampled;
      else cl.batched = true;
    },
  });
  if (failures) throw new Error(`scaling ${kind} ${n}: ${failures} members failed: ${firstError?.message}`);
  const pubs = await connectMany(n, (i) => ctx.connectOptions(nodes[i], 0, 'publisher'), {});
  if (pubs.failures) throw new Error(`scaling ${kind} ${n}: publishers failed: ${pubs.firstError?.message}`);
  const publishers = pubs.clients;
  try {
    plan.forEach((p, i) => p.room.members.push(clients[i]));
    for (const room of rooms) for (const cl of room.members) cl.send(`{"type":"room.join","id":"j","data":{"room":"${room.name}"}}`);
    const joined = await waitFor(() => clients.every((cl) => cl.acks + cl.errors > 0), 30_000, 20);
    if (!joined || clients.some((cl) => cl.errors > 0)) throw new Error(`scaling ${kind} ${n}: joins not acknowledged`);
    const presence = rooms.reduce((a, r) => a + (r.members.length * (r.members.length - 1)) / 2, 0);
    await waitFor(() => clients.reduce((a, cl) => a + cl.presence, 0) >= presence, 20_000, 50);
    const setupSeconds = (performance.now() - t0) / 1000;
    const smallRooms = rooms.filter((r) => r.small);
    const bigRooms = rooms.filter((r) => !r.small);
    let seq = 0;
    /** Publishes `count` messages at `rate`/s; returns publishes and expected deliveries per room. */
    const publishWindow = async (rate, count) => {
      const perRoom = new Map();
      const bigEvery = c.bigShare > 0 && bigRooms.length ? Math.round(1 / c.bigShare) : 0;
      let small = 0;
      let big = 0;
      await runSchedule(performance.now() + 20, 1000 / rate, count, (k, scheduled) => {
        let room;
        let pub;
        if (bigEvery && k % bigEvery === 0) {
          room = bigRooms[big % bigRooms.length];
          pub = publishers[big++ % n];
        } else {
          room = smallRooms[small++ % smallRooms.length];
          pub = publishers[room.home];
        }
        perRoom.set(room, (perRoom.get(room) ?? 0) + 1);
        const s = seq++;
        pub.send(`{"type":"room.publish","id":"${s}","data":{"room":"${room.name}","body":{"s":${s},"t":${scheduled.toFixed(3)},"p":"${PAD}"}}}`);
      });
      let expected = 0;
      for (const [room, k] of perRoom) expected += k * room.members.length;
      return { expected, perRoom };
    };
    const ackedTotal = () => publishers.reduce((a, p) => a + p.acks + p.errors, 0);
    const deliveredTotal = () => clients.reduce((a, cl) => a + cl.messages, 0);
    /** Waits for every ack and every delivery of a window; returns what it saw. */
    const settle = async (acks0, delivered0, count, expected) => {
      const acked = await waitFor(() => ackedTotal() - acks0 >= count, 30_000, 2);
      const complete = await waitFor(() => deliveredTotal() - delivered0 >= expected, c.drainMs, 2);
      return { acked, complete };
    };

    // Warm-up, unmetered: JIT, and the probe measures the bytes of one bus message (one server
    // only: a pattern subscription sees no SPUBLISH).
    const probe = redis.cluster ? { stop: () => null } : await busProbe(redis.url);
    const warmCount = Math.max(20, Math.round(c.warmupSeconds * c.publishRate));
    {
      const a0 = ackedTotal();
      const d0 = deliveredTotal();
      const w = await publishWindow(c.publishRate, warmCount);
      await settle(a0, d0, warmCount, w.expected);
    }
    await sleep(200);
    const busMessageBytes = probe.stop();
    await sleep(300);
    // Idle CPU (heartbeats, Redis's cron) with everything connected: Redis's is subtracted from
    // its CPU per publish (at a few hundred publishes/s it would otherwise dominate).
    const idle = await (async () => {
      const a = await redisInfoAll(redis);
      const meter = startMeter([...nodes.map((s) => s.pid), ...redis.pids]);
      await sleep(c.idleSeconds * 1000);
      const cpu = meter.stop();
      const b = await redisInfoAll(redis);
      const perSecond = (x, y) => (y.used_cpu_user + y.used_cpu_sys - x.used_cpu_user - x.used_cpu_sys) / cpu.wallSeconds;
      return {
        seconds: cpu.wallSeconds,
        redisCpuPerSecond: perSecond(a, b),
        redisCpuPerSecondPerServer: b.per.map((y, k) => perSecond(a.per[k], y)),
        redisOutBytesPerSecond: (b.total_net_output_bytes - a.total_net_output_bytes) / cpu.wallSeconds,
        nodesCpuPerSecond: cpu.serverCpuSeconds.slice(0, n).reduce((x, y) => x + y, 0) / cpu.wallSeconds,
      };
    })();

    const windows = [];
    for (let rep = 0; rep < c.reps; rep++) {
      const run = async () => {
        const count = Math.max(50, Math.round(c.seconds * c.publishRate));
        const m0 = await scrapeAll(nodes);
        const i0 = await redisInfoAll(redis);
        const a0 = ackedTotal();
        const e0 = publishers.reduce((a, p) => a + p.errors, 0);
        const d0 = deliveredTotal();
        const lat = new Samples(count);
        rec.recording = lat;
        const meter = startMeter([...nodes.map((s) => s.pid), ...redis.pids]);
        const w = await publishWindow(c.publishRate, count);
        const { acked, complete } = await settle(a0, d0, count, w.expected);
        const cpu = meter.stop();
        rec.recording = null;
        const i1 = await redisInfoAll(redis);
        const m1 = await scrapeAll(nodes);
        const delivered = deliveredTotal() - d0;
        const nodeCpu = cpu.serverCpuSeconds.slice(0, n).reduce((a, b) => a + b, 0);
        // Redis CPU from INFO cpu (microseconds; /proc counts 10 ms ticks), idle subtracted.
        const redisCpuInfo = i1.used_cpu_user + i1.used_cpu_sys - i0.used_cpu_user - i0.used_cpu_sys;
        const redisCpu = redisCpuInfo - idle.redisCpuPerSecond * cpu.wallSeconds;
        const bus = busDelta(m0, m1);
        const outBytes = i1.total_net_output_bytes - i0.total_net_output_bytes;
        const r = {
          kind,
          nodes: n,
          rep: rep + 1,
          publishes: count,
          publishRate: count / cpu.wallSeconds,
          expected: w.expected,
          delivered,
          lost: Math.max(0, w.expected - delivered),
          publishErrors: publishers.reduce((a, p) => a + p.errors, 0) - e0,
          acked,
          complete,
          deliveredRate: delivered / cpu.wallSeconds,
          latencyMs: lat.summary(),
          nodeCpuSeconds: cpu.serverCpuSeconds.slice(0, n),
          redisCpuSeconds: redisCpu, // INFO cpu, idle subtracted
          redisCpuSecondsProc: cpu.serverCpuSeconds.slice(n).reduce((a, b) => a + b, 0), // /proc, not subtracted
          redisCpuSecondsInfoRaw: redisCpuInfo,
          redisEvalUsecPerPublish: ((commandsDelta(i0, i1).eval?.usec ?? 0) + (commandsDelta(i0, i1).evalsha?.usec ?? 0)) / count,
          nodeCpuPerDeliveredUs: (1e6 * nodeCpu) / delivered,
          nodeCpuPerPublishUs: (1e6 * nodeCpu) / count,
          redisCpuPerPublishUs: (1e6 * redisCpu) / count,
          redis: {
            outBytes,
            inBytes: i1.total_net_input_bytes - i0.total_net_input_bytes,
            commands: i1.total_commands_processed - i0.total_commands_processed,
            // INFO cpu (main and background threads) as a cross-check of /proc
            cpuSeconds: redisCpuInfo,
            commandstats: commandsDelta(i0, i1),
          },
          redisOutBytesPerPublish: outBytes / count,
          redisOutBytesPerDelivered: outBytes / delivered,
          redisInBytesPerPublish: (i1.total_net_input_bytes - i0.total_net_input_bytes) / count,
          redisCommandsPerPublish: (i1.total_commands_processed - i0.total_commands_processed) / count,
          busMessageBytes,
          busMetric: bus, // null without the metric; else { perNode: [{kind: count}], total }
          busMessagesPerPublish: bus ? bus.total / count : null,
          busRoomMessagesPerPublish: bus && bus.byKind.room !== undefined ? bus.byKind.room / count : null,
          redisServers: shards,
          perPrimary: redis.cluster ? perPrimary(redis, rooms, w.perRoom, i0, i1, idle, cpu, n, count) : null,
          cpu,
        };
        return r;
      };
      const r = await ctx.undisturbed(`scaling deploy ${kind} ${n}`, run, (x) => x.cpu);
      windows.push(r);
      ctx.log(
        `    deploy ${kind} ${n} node(s): ${r.publishes} publishes -> ${r.delivered} delivered (lost ${r.lost}), ` +
          `node CPU ${r.nodeCpuPerDeliveredUs.toFixed(2)} us/delivered, Redis CPU ${r.redisCpuPerPublishUs.toFixed(2)} us/publish, ` +
          `Redis out ${r.redisOutBytesPerPublish.toFixed(0)} B/publish` +
          (r.busMessagesPerPublish !== null ? `, bus msgs/publish ${r.busMessagesPerPublish.toFixed(2)}` : '') +
          `, p99 ${r.latencyMs.p99} ms` +
          (r.perPrimary
            ? `; per primary: publishes ${r.perPrimary.map((x) => x.publishes).join('/')}, SPUBLISH ${r.perPrimary.map((x) => x.spublishCalls).join('/')}, ` +
              `CPU ${r.perPrimary.map((x) => x.cpuPerPublishUs.toFixed(1)).join('/')} us/publish, out ${r.perPrimary.map((x) => x.outBytesPerPublish.toFixed(0)).join('/')} B/publish`
            : ''),
      );
      await sleep(300);
    }
    return {
      kind,
      nodes: n,
      members: clients.length,
      smallRooms: c.smallRooms,
      smallMembers: c.smallMembers,
      bigRooms: c.bigRooms,
      bigMembers: c.bigMembers,
      bigShare: c.bigShare,
      setupSeconds,
      busMessageBytes,
      idle,
      redis: redis.cluster ? { primaries: redis.servers.map((s) => s.port), roomsPerPrimary: redis.servers.map((_, k) => ({ small: rooms.filter((r) => r.small && r.shard === k).length, big: rooms.filter((r) => !r.small && r.shard === k).length })) } : { single: true },
      windows,
    };
  } finally {
    for (const cl of clients) cl?.close();
    for (const p of publishers) p?.close();
    await sleep(300);
  }
}

/** A pattern subscriber like the nodes of the pattern bus; stop() returns RESP bytes per message. */
async function busProbe(url) {
  const sub = new Redis(url, { maxRetriesPerRequest: 1 });
  let messages = 0;
  let bytes = 0;
  const bulk = (len) => 1 + String(len).length + 2 + len + 2;
  sub.on('pmessageBuffer', (pattern, channel, payload) => {
    messages++;
    bytes += 4 + bulk(8) + bulk(pattern.length) + bulk(channel.length) + bulk(payload.length);
  });
  await sub.psubscribe('rg:room:*');
  return {
    stop() {
      sub.disconnect();
      return messages ? bytes / messages : null;
    },
  };
}

/**
 * One window's figures per Cluster primary: its rooms, the publishes into them (what its SPUBLISH
 * calls should count), its CPU per publish of the whole window (INFO cpu, its own idle subtracted:
 * the primaries' sum is the window's redisCpuPerPublishUs), bytes, and commandstats.
 */
function perPrimary(redis, rooms, perRoom, i0, i1, idle, cpu, n, count) {
  return redis.servers.map((server, k) => {
    const a = i0.per[k];
    const b = i1.per[k];
    const cmds = commandsDelta(a, b);
    const cpuInfo = b.used_cpu_user + b.used_cpu_sys - a.used_cpu_user - a.used_cpu_sys;
    const cpuSeconds = cpuInfo - idle.redisCpuPerSecondPerServer[k] * cpu.wallSeconds;
    let publishes = 0;
    for (const [room, m] of perRoom) if (room.shard === k) publishes += m;
    const spublishCalls = cmds.spublish?.calls ?? 0;
    const evalCalls = (cmds.eval?.calls ?? 0) + (cmds.evalsha?.calls ?? 0);
    return {
      port: server.port,
      smallRooms: rooms.filter((r) => r.small && r.shard === k).length,
      bigRooms: rooms.filter((r) => !r.small && r.shard === k).length,
      publishes,
      publishShare: publishes / count,
      spublishCalls,
      spublishPerPublish: spublishCalls / count,
      evalCalls,
      evalUsecPerPublish: ((cmds.eval?.usec ?? 0) + (cmds.evalsha?.usec ?? 0)) / count,
      cpuSeconds,
      cpuSecondsInfoRaw: cpuInfo,
      cpuSecondsProc: cpu.serverCpuSeconds[n + k],
      cpuPerPublishUs: (1e6 * cpuSeconds) / count, // per publish of the whole window
      cpuPerOwnPublishUs: publishes ? (1e6 * cpuSeconds) / publishes : null, // per publish this primary served
      outBytesPerPublish: (b.total_net_output_bytes - a.total_net_output_bytes) / count,
      inBytesPerPublish: (b.total_net_input_bytes - a.total_net_input_bytes) / count,
      commandsPerPublish: (b.total_commands_processed - a.total_commands_processed) / count,
      commandstats: cmds,
    };
  });
}

/** redisInfo of every server (`per`), and their sum in the same shape (numbers and commandstats added). */
async function redisInfoAll(redis) {
  const per = await Promise.all(redis.clients.map(redisInfo));
  const sum = { commands: {} };
  for (const info of per) {
    for (const [k, v] of Object.entries(info)) if (typeof v === 'number') sum[k] = (sum[k] ?? 0) + v;
    for (const [k, v] of Object.entries(info.commands)) {
      const t = (sum.commands[k] ??= { calls: 0, usec: 0 });
      t.calls += v.calls;
      t.usec += v.usec;
    }
  }
  return { ...sum, per };
}

/** INFO stats and cpu as numbers, and commandstats as {command: {calls, usec}}. */
async function redisInfo(client) {
  const text = (await client.info('stats')) + (await client.info('cpu')) + (await client.info('commandstats'));
  const out = { commands: {} };
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const k = line.slice(0, i);
    const v = line.slice(i + 1);
    if (k.startsWith('cmdstat_')) {
      const calls = /calls=(\d+)/.exec(v);
      const usec = /usec=(\d+)/.exec(v);
      out.commands[k.slice(8)] = { calls: Number(calls?.[1] ?? 0), usec: Number(usec?.[1] ?? 0) };
    } else if (/^-?\d+(\.\d+)?$/.test(v)) out[k] = Number(v);
  }
  return out;
}

function commandsDelta(a, b) {
  const out = {};
  for (const [k, v] of Object.entries(b.commands)) {
    const calls = v.calls - (a.commands[k]?.calls ?? 0);
    if (calls > 0) out[k] = { calls, usec: v.usec - (a.commands[k]?.usec ?? 0) };
  }
  return out;
}

/** Each node's realtime_bus_messages_received_total{kind} (null where /metrics lacks it). */
function scrapeAll(nodes) {
  return Promise.all(nodes.map((s) => scrape(s.port).catch(() => null)));
}

function scrape(port) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/metrics', timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(null);
        const counts = {};
        let found = false;
        for (const line of body.split('\n')) {
          if (!line.startsWith(BUS_METRIC)) continue;
          const m = /^realtime_bus_messages_received_total(?:\{(.*)\})?\s+([0-9.e+]+)/.exec(line);
          if (!m) continue;
          found = true;
          const k = /kind="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? 'all';
          counts[k] = (counts[k] ?? 0) + Number(m[2]);
        }
        resolve(found ? counts : null);
      });
    });
    req.on('timeout', () => req.destroy(new Error('metrics timeout')));
    req.on('error', reject);
  });
}

function busDelta(before, after) {
  if (after.some((x) => x === null)) return null;
  const perNode = after.map((a, i) => {
    const d = {};
    for (const [k, v] of Object.entries(a)) d[k] = v - (before[i]?.[k] ?? 0);
    return d;
  });
  const byKind = {};
  for (const d of perNode) for (const [k, v] of Object.entries(d)) byKind[k] = (byKind[k] ?? 0) + v;
  return { perNode, byKind, total: Object.values(byKind).reduce((a, b) => a + b, 0) };
}

// ---- part B: one room spread over every node ------------------------------------------------------

async function spreadPart(ctx, kind, nodes, redis) {
  const c = ctx.cfg.scaling;
  const f = ctx.cfg.fanout;
  const n = nodes.length;
  const room = new FanoutRoom(ctx, nodes[0], { memberServers: nodes, otherPids: redis.pids });
  try {
    await room.open();
    await room.grow(c.spreadSize);
    await sleep(500);
    // Unmetered warm-up at the fixed rate (JIT in every node).
    await room.window({ deliveredRate: c.spreadFixedRate, seconds: c.warmupSeconds, warmupSeconds: 0 });
    await sleep(300);
    // `reps` windows at the fixed rate; the median (by node CPU per delivered message) is reported.
    const windows = [];
    for (let rep = 0; rep < c.reps; rep++) {
      const fixed = await ctx.undisturbed(`scaling spread ${kind} ${n}`, () => room.window({ deliveredRate: c.spreadFixedRate, seconds: f.fixedSeconds, warmupSeconds: f.fixedWarmupSeconds }), (x) => x.cpu);
      windows.push({
        deliveredRateTarget: c.spreadFixedRate,
        achievedDeliveredRate: fixed.achievedDeliveredRate,
        nodeCpuPerDeliveredUs: fixed.serverCpuPerDeliveredUs,
        redisCpuPerDeliveredUs: fixed.otherCpuPerDeliveredUs,
        redisCpuPerPublishUsProcRaw: fixed.otherCpuPerDeliveredUs * fixed.members, // /proc ticks, idle not subtracted: coarse at ~100 publishes/s
        latencyMs: fixed.latencyMs,
        lost: fixed.lost,
        pass: fixed.pass,
        cpu: fixed.cpu,
        attempts: fixed.attempts,
        disturbed: fixed.disturbed,
      });
      ctx.log(
        `    spread ${kind} ${n} node(s) @${fmtRate(c.spreadFixedRate)}: node CPU ${fixed.serverCpuPerDeliveredUs.toFixed(2)} us/delivered ` +
          `(${fmtRate(1e6 / fixed.serverCpuPerDeliveredUs)} per node-CPU-s), Redis ${fixed.otherCpuPerDeliveredUs.toFixed(3)} us/delivered, p99 ${fixed.latencyMs.p99} ms, lost ${fixed.lost}`,
      );
      await sleep(300);
    }
    const sorted = [...windows].sort((a, b) => a.nodeCpuPerDeliveredUs - b.nodeCpuPerDeliveredUs);
    const fixedOut = { ...sorted[Math.floor((sorted.length - 1) / 2)], lost: windows.reduce((a, w) => a + w.lost, 0), windows: windows.length };
    let max = null;
    if (c.spreadMaxSearch) {
      max = await room.maxSearch(c.ladderStart, c.ladderFactor, true);
      ctx.log(`    spread ${kind} ${n} node(s) max: ${fmtRate(max.maxDeliveredRate)} (p99 ${max.atMax?.p99} ms, servers ${max.atMax?.serverCpuPct}%, ${max.atMax ? fmtRate(1e6 / max.atMax.serverCpuPerDeliveredUs) : '-'} per node-CPU-s)`);
    }
    return { kind, nodes: n, members: room.members.length, fill: room.fills.at(-1), fixed: fixedOut, fixedWindows: windows, max };
  } finally {
    await room.close();
    await sleep(300);
  }
}
