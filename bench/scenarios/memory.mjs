// Idle memory per connection (RSS and heap after a full GC) at each step of connections, then, for
// the product, the hold: every connection kept open across a full heartbeat cycle (ping, then the
// sweep HEARTBEAT_TIMEOUT_MS later) with no false termination. A fresh server for every run, so
// the deltas start from the same state.
import { performance } from 'node:perf_hooks';
import { clientStats, closeAll, connectMany } from '../lib/lean-ws.mjs';
import { Server } from '../lib/servers.mjs';
import { processCpuSeconds } from '../lib/proc.mjs';
import { sleep, waitFor } from '../lib/stats.mjs';

export async function memoryRun(ctx, kind, rep) {
  const { cfg } = ctx;
  const m = cfg.memory;
  const label = `memory-${kind}-${rep + 1}`;
  const server = await Server.start(kind, { ...ctx.serverOptions, label, extraEnv: m.serverEnv ?? {} });
  const startedAt = performance.now();
  const result = { kind, rep: rep + 1, steps: [] };
  let clients = [];
  try {
    const m0 = await warmUp(ctx, server, m.warmup);
    result.empty = m0;
    const hold = (kind === 'product' || m.holdBaseline) && rep < m.holdRuns ? m.hold : 0;
    const targets = [...m.steps, ...(hold > m.steps[m.steps.length - 1] ? [hold] : [])];
    for (const n of targets) {
      const more = n - clients.length;
      const t0 = performance.now();
      const opened = await connectMany(more, (i) => ctx.connectOptions(server, clients.length + i), {
        concurrency: 64,
        prepare: (c) => (c.batched = true),
      });
      const connectSeconds = (performance.now() - t0) / 1000;
      if (opened.failures) throw new Error(`${label}: ${opened.failures} connections failed: ${opened.firstError?.message}`);
      clients = clients.concat(opened.clients);
      await server.waitConnections(n);
      await sleep(300);
      const mem = await server.memory();
      result.steps.push({ connections: n, connectSeconds, ...memoryRow(mem, m0, n) });
      ctx.log(`  ${label}: ${n} conns rss/conn ${((mem.rss - m0.rss) / n / 1024).toFixed(2)} KiB heap/conn ${((mem.heapUsed - m0.heapUsed) / n / 1024).toFixed(2)} KiB`);
    }
    if (hold) result.hold = await holdAcrossHeartbeat(ctx, server, clients, startedAt);
  } finally {
    closeAll(clients);
    await server.stop();
  }
  return result;
}

/** Keeps every client open until all have been pinged and the sweep after that ping has run. */
async function holdAcrossHeartbeat(ctx, server, clients, startedAt) {
  const { intervalMs, timeoutMs } = ctx.cfg.memory.heartbeat;
  const closes0 = clientStats.unexpectedCloses;
  const cpu0 = processCpuSeconds(server.pid);
  const t0 = performance.now();
  const pinged0 = clients.map((c) => c.pings);
  // Bounded: two heartbeat intervals after the hold started are always enough for one full cycle.
  const allPinged = await waitFor(() => clients.every((c, i) => c.pings > pinged0[i] || c.closed), 2 * intervalMs + 5000, 200);
  const lastPing = clientStats.lastPingAt;
  // The sweep runs timeoutMs after the ping (in a setImmediate); leave it 2 s more.
  const sweepDue = lastPing + timeoutMs + 2000;
  while (performance.now() < sweepDue) await sleep(200);
  const stats = await server.stats();
  const open = clients.filter((c) => c.open && !c.closed).length;
  const held = {
    connections: clients.length,
    stillOpen: open,
    serverConnections: stats.connections,
    allPinged,
    heartbeatTerminations: stats.heartbeatTerminations ?? null,
    unexpectedCloses: clientStats.unexpectedCloses - closes0,
    holdSeconds: (performance.now() - t0) / 1000,
    secondsSinceStart: (performance.now() - startedAt) / 1000,
    serverCpuPctWhileHeld: (100 * (processCpuSeconds(server.pid) - cpu0)) / ((performance.now() - t0) / 1000),
  };
  held.ok = held.allPinged && held.stillOpen === held.connections && held.serverConnections === held.connections && held.unexpectedCloses === 0 && !held.heartbeatTerminations;
  ctx.log(`  hold: ${open}/${clients.length} open after a heartbeat cycle, terminations ${held.heartbeatTerminations}, ok=${held.ok}`);
  return held;
}

function pick(m) {
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
}

/**
 * Warm-up (shared with conn100k.mjs): the first connections load and optimize code paths and
 * should not count as state; they are opened, closed, and then the empty server is measured
 * after a full GC. Returns that measurement.
 */
export async function warmUp(ctx, server, count) {
  const warm = await connectMany(count, (i) => ctx.connectOptions(server, i), { concurrency: 64 });
  if (warm.failures) throw new Error(`${server.kind}: ${warm.failures} warm-up connections failed: ${warm.firstError?.message}`);
  closeAll(warm.clients);
  await server.waitConnections(0);
  await sleep(200);
  return pick(await server.memory());
}

/** Memory at `n` connections (after a full GC), and per connection from the empty server's `m0`. */
export function memoryRow(mem, m0, n) {
  return {
    ...pick(mem),
    rssPerConnBytes: (mem.rss - m0.rss) / n,
    heapPerConnBytes: (mem.heapUsed - m0.heapUsed) / n,
    externalPerConnBytes: (mem.external - m0.external) / n,
  };
}
