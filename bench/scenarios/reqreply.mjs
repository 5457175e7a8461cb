// Request/reply: `clients` connections, each sending `perClientRate` requests per second (open
// loop, spread evenly), each a `room.publish` to the client's own room that has no member: the
// whole inbound pipeline (parse, envelope, rate limit, validation, guards/interceptors, history
// append, ack) without fan-out. RTT from the scheduled send time to the ack.
import { performance } from 'node:perf_hooks';
import { closeAll, connectMany, Kind } from '../lib/lean-ws.mjs';
import { startMeter } from '../lib/proc.mjs';
import { runSchedule } from '../lib/schedule.mjs';
import { Samples, waitFor } from '../lib/stats.mjs';

const ACK_ID_AT = '{"type":"ack","id":"'.length;

/** Connects the request/reply clients to a server (kept for all of its runs). */
export async function openReqReplyClients(ctx, server) {
  const c = ctx.cfg.reqreply;
  const state = { scheduled: null, from: 0, to: 0, samples: null, acked: 0, errors: 0 };
  const onFrame = (client, kind, buf, ps) => {
    if (kind === Kind.Ack) {
      let j = 0;
      for (let i = ps + ACK_ID_AT; buf[i] !== 0x22; i++) j = j * 10 + (buf[i] - 48);
      state.acked++;
      if (state.samples && j >= state.from && j < state.to) state.samples.push(performance.now() - state.scheduled[j]);
    } else if (kind === Kind.Error) state.errors++;
  };
  const opened = await connectMany(c.clients, (i) => ctx.connectOptions(server, i), { concurrency: 64, prepare: (cl) => (cl.onFrame = onFrame) });
  if (opened.failures) throw new Error(`reqreply ${server.kind}: ${opened.failures} connections failed: ${opened.firstError?.message}`);
  return { server, clients: opened.clients, state };
}

export async function reqReplyRun(ctx, group, rep) {
  const c = ctx.cfg.reqreply;
  const { server, clients, state } = group;
  const n = clients.length;
  const rate = n * c.perClientRate;
  const warm = Math.round(rate * c.warmupSeconds);
  const meas = Math.round(rate * c.seconds);
  const total = warm + meas;
  state.scheduled = new Float64Array(total);
  state.from = warm;
  state.to = total;
  state.samples = new Samples(meas);
  state.acked = 0;
  state.errors = 0;
  let meter;
  let ackedAtStart = 0;
  await runSchedule(performance.now() + 20, 1000 / rate, total, (k, scheduled) => {
    if (k === warm) {
      ackedAtStart = state.acked;
      meter = startMeter([server.pid]);
    }
    state.scheduled[k] = scheduled;
    const i = k % n;
    clients[i].send(`{"type":"room.publish","id":"${k}","data":{"room":"public:rr-${i}","body":{"n":${k}}}}`);
  });
  // The meter stops when the last request was answered: exactly `meas` requests were served in it.
  const drained = await waitFor(() => state.acked + state.errors >= total, 10_000, 2);
  const cpu = meter.stop();
  const served = state.acked - ackedAtStart;
  const result = {
    kind: server.kind,
    rep: rep + 1,
    clients: n,
    ratePerSec: rate,
    requests: meas,
    acked: served,
    errors: state.errors,
    drained,
    rttMs: state.samples.summary(),
    serverCpuPerRequestUs: (1e6 * cpu.serverCpuSeconds[0]) / meas,
    cpu,
  };
  state.samples = null;
  ctx.log(
    `  reqreply ${server.kind} #${rep + 1}: ${rate}/s rtt p50 ${result.rttMs.p50} p99 ${result.rttMs.p99} ms, ` +
      `server ${result.serverCpuPerRequestUs.toFixed(1)} us/req (${cpu.serverCpuPct.toFixed(0)}%), gen ${cpu.generatorCpuPct.toFixed(0)}%`,
  );
  return result;
}

export function closeReqReplyClients(group) {
  closeAll(group.clients);
}
