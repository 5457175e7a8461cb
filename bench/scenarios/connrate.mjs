// Connection rate with real JWT verification: TCP connect + HTTP upgrade (token verified before
// the 101) + welcome frame, per connection, with a fresh token check every time.
//   closed loop: `count` handshakes with `concurrency` in flight -> handshakes/s, server CPU each;
//   open loop:   handshakes started at a fixed rate -> latency p50/p99 from the SCHEDULED start.
import { performance } from 'node:perf_hooks';
import { closeAll, connectMany, LeanClient } from '../lib/lean-ws.mjs';
import { startMeter } from '../lib/proc.mjs';
import { runSchedule } from '../lib/schedule.mjs';
import { Samples, sleep } from '../lib/stats.mjs';

/** Handshakes that are not measured: the first connections load and optimize the code paths. */
export async function connRateWarmup(ctx, server) {
  const c = ctx.cfg.connrate;
  const warm = await connectMany(c.warmup, (i) => ctx.connectOptions(server, i), { concurrency: c.concurrency, prepare: (cl) => (cl.batched = true) });
  closeAll(warm.clients);
  await server.waitConnections(0);
  if (warm.failures) throw new Error(`connrate ${server.kind}: ${warm.failures} warm-up handshakes failed: ${warm.firstError?.message}`);
}

export async function connRateRun(ctx, server, rep) {
  const c = ctx.cfg.connrate;
  const result = { kind: server.kind, rep: rep + 1 };

  // Closed loop.
  const meter = startMeter([server.pid]);
  const t0 = performance.now();
  const closed = await connectMany(c.count, (i) => ctx.connectOptions(server, i), { concurrency: c.concurrency, prepare: (cl) => (cl.batched = true) });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = meter.stop();
  const lat = new Samples(c.count);
  for (const v of closed.latencies) if (!Number.isNaN(v)) lat.push(v);
  result.closedLoop = {
    handshakes: c.count - closed.failures,
    failures: closed.failures,
    firstError: closed.firstError?.message,
    concurrency: c.concurrency,
    seconds,
    handshakesPerSec: (c.count - closed.failures) / seconds,
    serverCpuPerHandshakeUs: (1e6 * cpu.serverCpuSeconds[0]) / Math.max(1, c.count - closed.failures),
    latencyMs: lat.summary(),
    cpu,
  };
  closeAll(closed.clients);
  await server.waitConnections(0);
  await sleep(300);

  // Open loop at a fixed rate.
  const n = Math.round(c.fixedRate * c.fixedSeconds);
  const clients = [];
  const samples = new Samples(n);
  let failures = 0;
  let firstError;
  const pending = [];
  const meter2 = startMeter([server.pid]);
  await runSchedule(performance.now() + 20, 1000 / c.fixedRate, n, (k, scheduled) => {
    const client = new LeanClient(k);
    client.batched = true;
    clients.push(client);
    pending.push(
      client.connect({ ...ctx.connectOptions(server, c.count + k), startedAt: scheduled }).then(
        () => samples.push(client.welcomeAt - scheduled),
        (err) => {
          failures++;
          firstError ??= err.message;
        },
      ),
    );
  });
  await Promise.all(pending);
  const cpu2 = meter2.stop();
  result.openLoop = {
    ratePerSec: c.fixedRate,
    handshakes: n - failures,
    failures,
    firstError,
    latencyMs: samples.summary(),
    serverCpuPerHandshakeUs: (1e6 * cpu2.serverCpuSeconds[0]) / Math.max(1, n - failures),
    cpu: cpu2,
  };
  closeAll(clients);
  await server.waitConnections(0);
  ctx.log(
    `  connrate ${server.kind} #${rep + 1}: ${result.closedLoop.handshakesPerSec.toFixed(0)}/s (server ${cpu.serverCpuPct.toFixed(0)}% gen ${cpu.generatorCpuPct.toFixed(0)}%), ` +
      `${c.fixedRate}/s p50 ${result.openLoop.latencyMs.p50} p99 ${result.openLoop.latencyMs.p99} ms`,
  );
  return result;
}
