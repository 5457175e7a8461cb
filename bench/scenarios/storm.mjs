// Reconnect storm (issue 16, item 5): a node died and its clients all come back through this one.
// `clients` clients (each its own user and token) start their TCP connect + upgrade + JWT check at
// once against one fresh server; measured: time from the first connect started until the last
// client is welcomed, failures by cause (HTTP status of a refusal, or the socket error), server
// CPU over the storm, and each client's handshake time (connect started -> welcome) p50/p99.
//
// Machine limits (docs/performance.md, "Handshake cost and reconnect storm"): the hard file limit
// is 20,000 per process and cannot be raised, so the server holds at most ~19,900 sockets (full
// run: 19,000 clients) and the generator's side is spread over `workers` child processes (each far
// under the limit; bench/lib/storm-worker.mjs), clients over 8 loopback source addresses (the
// ephemeral ports, 32768-60999, are per source address). All processes of the generator stay on
// the generator's core.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { closeAll, connectMany } from '../lib/lean-ws.mjs';
import { processCpuSeconds, startMeter } from '../lib/proc.mjs';
import { Server } from '../lib/servers.mjs';
import { sleep, summarize } from '../lib/stats.mjs';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'storm-worker.mjs');
const SOURCE_ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${2 + i}`);

/**
 * The servers' limits for the storm, so that nothing is refused except by a documented limit:
 * MAX_CONNECTIONS above the storm (the file limit, not the product, is what caps a node here),
 * MAX_CONNECTIONS_PER_IP above the clients per source address (the default 1,000 would refuse
 * the ~2,400 of each bench address: 429), one connection per user (the default 100 is plenty).
 */
export function stormServerEnv(cfg) {
  return {
    MAX_CONNECTIONS: String(cfg.maxConnections),
    MAX_CONNECTIONS_PER_IP: String(cfg.maxConnectionsPerIp),
  };
}

class Worker {
  constructor() {
    this.child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.waiters = new Map();
    this.child.on('message', (msg) => {
      const waiter = this.waiters.get(msg.op === 'error' ? 'done' : msg.op);
      if (!waiter) return;
      this.waiters.delete(msg.op === 'error' ? 'done' : msg.op);
      if (msg.op === 'error') waiter.reject(new Error(`storm worker: ${msg.message}`));
      else waiter.resolve(msg);
    });
    this.child.once('exit', (code) => {
      for (const w of this.waiters.values()) w.reject(new Error(`storm worker exited (${code})`));
      this.waiters.clear();
    });
  }

  next(op, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`storm worker: no ${op} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(op, {
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
  }
}

/** One storm against a fresh server of `kind` (each rep starts a new one: a node absorbing a storm is a fresh survivor's state). */
export async function stormRun(ctx, kind, rep, tokens) {
  const c = ctx.cfg.storm;
  const server = await Server.start(kind, { ...ctx.serverOptions, label: `storm-${kind}-${rep + 1}`, extraEnv: stormServerEnv(c) });
  ctx.servers.add(server);
  const workers = [];
  try {
    // Warm-up (not measured): a surviving node has been serving; its handshake path is optimized.
    const warm = await connectMany(c.warmup, (i) => ctx.connectOptions(server, i), { concurrency: 32 });
    closeAll(warm.clients);
    await server.waitConnections(0);
    if (warm.failures) throw new Error(`storm ${kind}: ${warm.failures} warm-up handshakes failed: ${warm.firstError?.message}`);
    const per = Math.ceil(c.clients / c.workers);
    for (let w = 0; w < c.workers; w++) workers.push(new Worker());
    await Promise.all(workers.map((w) => w.next('ready', 10_000)));
    await sleep(200);

    const meter = startMeter([server.pid]);
    const w0 = workers.map((w) => processCpuSeconds(w.child.pid));
    const t0 = performance.timeOrigin + performance.now();
    const done = workers.map((w) => w.next('done', c.timeoutMs + 30_000));
    workers.forEach((w, i) =>
      w.child.send({ op: 'go', port: server.port, tokens: tokens.slice(i * per, Math.min(c.clients, (i + 1) * per)), localAddresses: SOURCE_ADDRESSES, timeoutMs: c.timeoutMs }),
    );
    const reports = await Promise.all(done);
    const cpu = meter.stop();
    const workerCpuSeconds = workers.reduce((sum, w, i) => sum + (processCpuSeconds(w.child.pid) - w0[i]), 0);

    const failures = {};
    const firstErrors = {};
    let welcomed = 0;
    let lastWelcomeAbs = 0;
    const latencies = [];
    for (const r of reports) {
      welcomed += r.welcomed;
      if (r.lastWelcomeAbs) lastWelcomeAbs = Math.max(lastWelcomeAbs, r.lastWelcomeAbs);
      for (const [cause, n] of Object.entries(r.failures)) failures[cause] = (failures[cause] ?? 0) + n;
      Object.assign(firstErrors, r.firstErrors);
      for (const v of r.latenciesMs) if (v !== null && !Number.isNaN(v)) latencies.push(v);
    }
    const serverConnections = (await server.stats()).connections ?? null;
    const result = {
      kind,
      rep: rep + 1,
      clients: c.clients,
      workers: c.workers,
      welcomed,
      failed: c.clients - welcomed,
      failures,
      firstErrors,
      serverConnectionsAfter: serverConnections,
      // From the generator's go until the last welcome arrived (all processes' clocks are comparable).
      allWelcomedSeconds: welcomed === c.clients ? (lastWelcomeAbs - t0) / 1000 : null,
      lastWelcomeSeconds: lastWelcomeAbs ? (lastWelcomeAbs - t0) / 1000 : null,
      startSkewMs: Math.max(...reports.map((r) => r.firstStartAbs)) - t0,
      handshakeMs: summarize(latencies),
      serverCpuSeconds: cpu.serverCpuSeconds[0],
      serverCpuPerHandshakeUs: (1e6 * cpu.serverCpuSeconds[0]) / Math.max(1, welcomed),
      workerCpuSeconds,
      cpu,
      serverEnv: stormServerEnv(c),
    };
    const f = Object.entries(failures).map(([k, v]) => `${k} x${v}`).join(', ') || 'none';
    ctx.log(
      `  storm ${kind} #${rep + 1}: ${welcomed}/${c.clients} welcomed in ${result.lastWelcomeSeconds?.toFixed(2)} s, failures: ${f}; ` +
        `handshake p50 ${result.handshakeMs.p50} p99 ${result.handshakeMs.p99} ms; server CPU ${result.serverCpuSeconds.toFixed(2)} s (${result.serverCpuPerHandshakeUs.toFixed(0)} us each)`,
    );
    return result;
  } finally {
    for (const w of workers) {
      if (w.child.exitCode !== null) continue;
      w.child.send({ op: 'close' });
      await w.next('closed', 20_000).catch(() => w.child.kill('SIGKILL'));
    }
    await server.waitConnections(0, 60_000).catch(() => {});
    ctx.servers.delete(server);
    await server.stop();
  }
}
