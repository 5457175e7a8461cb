// conn100k (issue 16, item 2): as many idle connections on one server as its file limit allows, up
// to `target` (100,000), with heartbeats on and shortened (HEARTBEAT_INTERVAL_MS / _TIMEOUT_MS of
// the config, 5 s / 4 s in the full run) so several cycles fit in a minute. Per server (the
// product and the raw ws baseline, the same count, fresh server each run, runs alternating):
//   - RSS, heap and external per connection after a full GC (memory.mjs's measurement);
//   - the time to connect them all (every client welcomed, the server counting them);
//   - server CPU per heartbeat cycle: its CPU over `cycles` cycles held idle, per interval;
//   - terminations over those cycles with every client answering pings: 0 expected.
// The count: a server holds one descriptor per connection, so it is its soft file limit (read
// from /proc/<pid>/limits; the soft limit is raised to the hard one, by prlimit in servers.mjs
// and by Node at start) minus the descriptors it had open at rest, minus a margin; the smallest
// over both servers, so both hold the same count. The clients live in child processes
// (bench/lib/conn-worker.mjs), at most `clientsPerWorker` each and within each one's own limit,
// spread over the loopback source addresses 127.0.0.2-9 (28,232 ephemeral ports each).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BENCH_SECRET, Server } from '../lib/servers.mjs';
import { processCpuSeconds } from '../lib/proc.mjs';
import { sleep } from '../lib/stats.mjs';
import { memoryRow, warmUp } from './memory.mjs';

const WORKER = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'lib', 'conn-worker.mjs');
const ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${2 + i}`);

/** The soft file limit of a process and how many descriptors it has open. */
export function descriptorsOf(pid) {
  const limits = fs.readFileSync(`/proc/${pid}/limits`, 'utf8');
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits);
  const parse = (v) => (v === 'unlimited' ? Infinity : Number(v));
  return { soft: parse(m[1]), hard: parse(m[2]), open: fs.readdirSync(`/proc/${pid}/fd`).length };
}

/** How many connections a server can hold: its soft limit minus what it holds at rest minus `margin`. */
export function connectionBudget(pid, margin) {
  const d = descriptorsOf(pid);
  return { ...d, margin, allows: d.soft - d.open - margin };
}

/** The generator's workers: one per `perWorker` clients, each limited by its own file limit. */
function planWorkers(count, c) {
  const own = descriptorsOf('self');
  const perWorker = Math.max(1, Math.min(c.clientsPerWorker, own.soft - c.workerReserveFds));
  const workers = Math.ceil(count / perWorker);
  const slices = [];
  for (let w = 0, first = 0; w < workers; w++) {
    const n = Math.floor(count / workers) + (w < count % workers ? 1 : 0);
    slices.push({ first, count: n });
    first += n;
  }
  return { perWorker, workerFileLimit: own.soft, slices };
}

class Worker {
  constructor() {
    this.child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.waiting = [];
    this.child.on('message', (m) => this.waiting.shift()?.resolve(m));
    this.child.once('exit', (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`conn worker exited (${code})`));
    });
  }

  ask(msg, timeoutMs = 300_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`conn worker: no answer to ${msg.cmd}`)), timeoutMs);
      this.waiting.push({ resolve: (m) => (clearTimeout(timer), resolve(m)), reject: (e) => (clearTimeout(timer), reject(e)) });
      this.child.send(msg);
    });
  }

  async close() {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.ask({ cmd: 'close' }, 30_000).catch(() => this.child.kill('SIGKILL'));
    await exited;
  }
}

async function workerStats(workers) {
  const all = await Promise.all(workers.map((w) => w.ask({ cmd: 'stats' })));
  const closeCodes = {};
  for (const s of all) for (const [k, v] of Object.entries(s.closeCodes)) closeCodes[k] = (closeCodes[k] ?? 0) + v;
  return {
    open: all.reduce((a, s) => a + s.open, 0),
    minPings: Math.min(...all.map((s) => s.minPings)),
    pings: all.reduce((a, s) => a + s.pings, 0),
    unexpectedCloses: all.reduce((a, s) => a + s.unexpectedCloses, 0),
    closeCodes,
  };
}

/** The heartbeat settings both servers get for this scenario. */
export function conn100kEnv(c) {
  return {
    HEARTBEAT_INTERVAL_MS: String(c.heartbeat.intervalMs),
    HEARTBEAT_TIMEOUT_MS: String(c.heartbeat.timeoutMs),
    // Both servers' default per-node cap is 100,000: the target must not be refused by it.
    MAX_CONNECTIONS: String(c.target + c.warmup + 1000),
  };
}

/**
 * The count for this run: min(target, what each server's file limit allows), decided once from a
 * server of each kind at rest, and said why.
 */
export async function planConn100k(ctx, kinds) {
  const c = ctx.cfg.conn100k;
  const budgets = {};
  for (const kind of kinds) {
    const server = await Server.start(kind, { ...ctx.serverOptions, label: `conn100k-probe-${kind}`, extraEnv: conn100kEnv(c) });
    try {
      await sleep(500);
      budgets[kind] = connectionBudget(server.pid, c.serverReserveFds);
    } finally {
      await server.stop();
    }
  }
  const allows = Math.min(...Object.values(budgets).map((b) => b.allows));
  const count = Math.max(0, Math.min(c.target, allows));
  const why =
    count === c.target
      ? `the target: the servers' file limits allow ${allows}`
      : `the servers' file limit: soft ${Object.entries(budgets).map(([k, b]) => `${b.soft} (hard ${b.hard}) - ${b.open} open at rest - ${b.margin} margin = ${b.allows} for the ${k}`).join('; ')}; one descriptor per connection, so ${c.target} cannot be held here`;
  const plan = { target: c.target, count, why, budgets, ...planWorkers(count, c) };
  ctx.log(`  conn100k: ${count} connections per server (${why}); clients in ${plan.slices.length} worker process(es) of <= ${plan.perWorker} (their file limit ${plan.workerFileLimit}), from ${ADDRESSES[0]}-${ADDRESSES.at(-1).split('.').at(-1)}`);
  return plan;
}

export async function conn100kRun(ctx, kind, rep, plan) {
  const c = ctx.cfg.conn100k;
  const label = `conn100k-${kind}-${rep + 1}`;
  const server = await Server.start(kind, { ...ctx.serverOptions, label, extraEnv: conn100kEnv(c) });
  ctx.servers.add(server);
  const workers = plan.slices.map(() => new Worker());
  const result = { kind, rep: rep + 1, connections: plan.count };
  try {
    const m0 = await warmUp(ctx, server, c.warmup);
    result.empty = m0;
    const concurrency = Math.max(4, Math.ceil(c.concurrency / workers.length));
    const cpu0 = processCpuSeconds(server.pid);
    const t0 = performance.now();
    const connected = await Promise.all(
      workers.map((w, i) => w.ask({ cmd: 'connect', port: server.port, first: plan.slices[i].first, count: plan.slices[i].count, concurrency, addresses: ADDRESSES, secret: BENCH_SECRET })),
    );
    // Tokens are minted by each worker before its clock starts: the slowest worker's own time.
    result.connectSeconds = Math.max(...connected.map((r) => r.seconds ?? Infinity));
    result.connectWallSeconds = (performance.now() - t0) / 1000;
    result.serverCpuSecondsToConnect = processCpuSeconds(server.pid) - cpu0;
    const failures = connected.reduce((a, r) => a + r.failures, 0);
    result.handshakeLatencyMs = connected.map((r) => r.latencyMs);
    if (failures) throw new Error(`${label}: ${failures} connections failed: ${connected.find((r) => r.firstError)?.firstError}`);
    await server.waitConnections(plan.count, 60_000);
    result.connectsPerSec = plan.count / result.connectSeconds;
    await sleep(300);
    const mem = await server.memory();
    Object.assign(result, memoryRow(mem, m0, plan.count));
    result.serverDescriptors = descriptorsOf(server.pid);
    ctx.log(
      `  ${label}: ${plan.count} conns in ${result.connectSeconds.toFixed(1)} s (${result.connectsPerSec.toFixed(0)}/s); ` +
        `rss/conn ${(result.rssPerConnBytes / 1024).toFixed(2)} KiB heap/conn ${(result.heapPerConnBytes / 1024).toFixed(2)} KiB`,
    );
    result.hold = await holdCycles(ctx, server, workers, plan.count);
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    ctx.servers.delete(server);
    await server.stop();
  }
  return result;
}

/**
 * Holds every connection idle for `cycles` heartbeat cycles: until every client was pinged
 * `cycles` more times, then one timeout (+2 s) for the last sweep. Server CPU per cycle is its CPU
 * over the whole hold divided by the hold's length in intervals (the server does nothing else).
 */
async function holdCycles(ctx, server, workers, count) {
  const { cycles, heartbeat } = ctx.cfg.conn100k;
  const s0 = await workerStats(workers);
  const stats0 = await server.stats();
  const cpu0 = processCpuSeconds(server.pid);
  const t0 = performance.now();
  // Bounded: `cycles` + 2 intervals always see `cycles` pings of every live client.
  const deadline = t0 + (cycles + 2) * heartbeat.intervalMs + 10_000;
  let s = s0;
  while (performance.now() < deadline) {
    await sleep(500);
    s = await workerStats(workers);
    if (s.minPings >= s0.minPings + cycles || s.open < count) break;
  }
  const pingedAll = s.minPings >= s0.minPings + cycles;
  await sleep(heartbeat.timeoutMs + 2000);
  const s1 = await workerStats(workers);
  const held = performance.now() - t0;
  const cpu = processCpuSeconds(server.pid) - cpu0;
  const stats1 = await server.stats();
  const hold = {
    cycles,
    heartbeat,
    holdSeconds: held / 1000,
    pingedAll,
    pingsPerClient: s1.minPings - s0.minPings,
    stillOpen: s1.open,
    serverConnections: stats1.connections,
    heartbeatTerminations: (stats1.heartbeatTerminations ?? 0) - (stats0.heartbeatTerminations ?? 0),
    unexpectedCloses: s1.unexpectedCloses - s0.unexpectedCloses,
    closeCodes: s1.closeCodes,
    serverCpuSeconds: cpu,
    serverCpuMsPerCycle: (1000 * cpu) / (held / heartbeat.intervalMs),
  };
  hold.serverCpuUsPerConnPerCycle = (1000 * hold.serverCpuMsPerCycle) / count;
  hold.ok = pingedAll && hold.stillOpen === count && hold.serverConnections === count && hold.unexpectedCloses === 0 && hold.heartbeatTerminations === 0;
  ctx.log(
    `  hold ${hold.holdSeconds.toFixed(0)} s: ${hold.stillOpen}/${count} open, >= ${hold.pingsPerClient} pings each, terminations ${hold.heartbeatTerminations}, ` +
      `unexpected closes ${hold.unexpectedCloses}; server CPU ${hold.serverCpuMsPerCycle.toFixed(1)} ms per ${heartbeat.intervalMs / 1000} s cycle; ok=${hold.ok}`,
  );
  return hold;
}
