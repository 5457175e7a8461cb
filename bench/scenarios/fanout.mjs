// Fan-out: one publisher (not a member) publishes to a room of N members at a scheduled rate;
// every member must receive every message.
//   - `sampled` members read promptly and timestamp each message (latency = receive time - the
//     publish's SCHEDULED send time, carried in the body); the other members read in batches
//     (socket paused, resumed every BATCH_MS) and only count frames, so the generator stays lean;
//   - CPU is measured from the first measured publish until the ack of the last one (the server
//     acks a publish after it wrote it to every member), so it covers exactly measured x N writes;
//   - lost = messages some member had not received DRAIN_MS after the last ack (or closed members).
// The room is filled once per server (joins send presence.join to every earlier member: a fill
// of N costs N(N-1)/2 presence frames), then grown from the first size to the next.
// Cluster mode (scenarios/cluster.mjs): members are spread over several product nodes, the CPU is
// the nodes' together (and Redis's, reported apart), and a window's CPU runs until every member
// received every message (the ack only says the message reached the publisher's node and Redis).
import { performance } from 'node:perf_hooks';
import { connectMany, Kind, setBatchInterval } from '../lib/lean-ws.mjs';
import { startMeter } from '../lib/proc.mjs';
import { PRESENCE_MAX_MEMBERS } from '../lib/servers.mjs';
import { runSchedule } from '../lib/schedule.mjs';
import { Samples, sleep, waitFor } from '../lib/stats.mjs';

const ROOM = 'public:fanout';
const PAD = 'x'.repeat(48);
const BODY_MARK = Buffer.from('{"s":');
const MEASURE_BATCH_MS = 50;
let fillsInProgress = 0;

/**
 * Presence frames sent while a room fills to `m` members: each join is announced to the earlier
 * members while the room has at most PRESENCE_MAX_MEMBERS, so k(k-1)/2 with k = min(m, that limit).
 */
export const presenceFramesToFill = (m) => {
  const k = Math.min(m, PRESENCE_MAX_MEMBERS);
  return (k * (k - 1)) / 2;
};

export class FanoutRoom {
  /**
   * @param server the publisher's server
   * @param options.memberServers members connect to these in turn (default: [server])
   * @param options.otherPids processes whose CPU is metered but not counted as the server's (Redis)
   * @param options.viaBus delivery goes through Redis (the window's CPU runs until every member
   *   received every message, and Redis's CPU is reported): default when there are several nodes
   *   or other pids (a single node with REDIS_URL also delivers from the bus)
   */
  constructor(ctx, server, { memberServers = [server], otherPids = [], viaBus = memberServers.length > 1 || otherPids.length > 0 } = {}) {
    this.ctx = ctx;
    this.server = server;
    this.memberServers = memberServers;
    this.nodeCount = memberServers.length;
    this.meterPids = [...memberServers.map((m) => m.pid), ...otherPids];
    this.cluster = viaBus;
    this.members = [];
    this.publisher = null;
    this.seq = 0;
    this.recording = null;
    this.fills = [];
    this.gaps = 0;
    const room = this;
    // Sampled members: latency of every message, and order (a gap or reorder counts).
    this.onSampled = function onSampled(client, kind, buf, ps, pe) {
      if (kind !== Kind.Message) return;
      const now = performance.now();
      const i = buf.indexOf(BODY_MARK, ps);
      if (i < 0 || i >= pe) return;
      let j = i + BODY_MARK.length;
      let s = 0;
      while (buf[j] >= 48 && buf[j] <= 57) s = s * 10 + (buf[j++] - 48);
      j += 5; // ,"t":
      let end = j;
      while (buf[end] !== 0x2c) end++;
      const t = Number(buf.toString('latin1', j, end));
      if (client.nextSeq !== undefined && s !== client.nextSeq) room.gaps++;
      client.nextSeq = s + 1;
      const rec = room.recording;
      if (rec !== null && s >= rec.from && s < rec.to) rec.samples.push(now - t);
    };
  }

  async open() {
    const { clients, failures, firstError } = await connectMany(1, () => this.ctx.connectOptions(this.server, 0, 'publisher'), {});
    if (failures) throw new Error(`fanout ${this.server.kind}: publisher failed: ${firstError?.message}`);
    this.publisher = clients[0];
  }

  /** Adds members until there are `size`, joins them, and waits until every presence frame arrived. */
  async grow(size) {
    const cfg = this.ctx.cfg.fanout;
    const start = this.members.length;
    const add = size - start;
    const t0 = performance.now();
    const { clients, failures, firstError } = await connectMany(add, (i) => this.ctx.connectOptions(this.memberServers[(start + i) % this.nodeCount], start + i, 'member'), {
      concurrency: 64,
      prepare: (c, i) => {
        if (start + i < cfg.sampled) c.onFrame = this.onSampled;
        else c.batched = true;
      },
    });
    if (failures) throw new Error(`fanout ${this.server.kind}: ${failures} members failed: ${firstError?.message}`);
    const connectSeconds = (performance.now() - t0) / 1000;
    const meter = startMeter(this.meterPids);
    const t1 = performance.now();
    const join = `{"type":"room.join","id":"j","data":{"room":"${ROOM}"}}`;
    if (fillsInProgress++ === 0) setBatchInterval(cfg.fillBatchMs);
    let drained = false;
    try {
      for (let b = 0; b < clients.length; b += cfg.joinBatch) {
        const batch = clients.slice(b, b + cfg.joinBatch);
        for (const c of batch) c.send(join);
        // A batch of joins into a big room takes long (each join is announced to every member):
        // give up only when no ack arrived for 30 s.
        let acked = 0;
        let progressAt = Date.now();
        const ok = await waitFor(() => {
          const now = batch.reduce((a, c) => a + (c.acks + c.errors > 0 ? 1 : 0), 0);
          if (now > acked) [acked, progressAt] = [now, Date.now()];
          return now === batch.length || Date.now() - progressAt > 30_000;
        }, cfg.fillTimeoutMs, 20);
        if (!ok || acked < batch.length || batch.some((c) => c.errors > 0)) {
          const stats = await this.server.stats().catch((err) => ({ error: err.message }));
          const closed = batch.filter((c) => c.closed).length;
          const presence = batch.reduce((a, c) => a + c.presence, 0);
          throw new Error(
            `fanout ${this.server.kind}: joins not acknowledged (${acked}/${batch.length} acked, ${closed} closed, ${presence} presence frames seen; ` +
              `batch ${b / cfg.joinBatch + 1}; server ${JSON.stringify(stats)})`,
          );
        }
      }
      this.members = this.members.concat(clients);
      const expected = presenceFramesToFill(this.members.length);
      drained = await waitFor(() => this.members.reduce((a, c) => a + c.presence, 0) >= expected, cfg.fillTimeoutMs, 50);
    } finally {
      if (--fillsInProgress === 0) setBatchInterval(MEASURE_BATCH_MS);
    }
    const m = this.members.length;
    const cpu = meter.stop();
    const fill = {
      kind: this.server.kind,
      size: m,
      added: add,
      connectSeconds,
      joinAndPresenceSeconds: (performance.now() - t1) / 1000,
      presenceFrames: presenceFramesToFill(m) - presenceFramesToFill(start),
      drained,
      cpu,
    };
    fill.serverCpuPerPresenceFrameUs = fill.presenceFrames > 0 ? (1e6 * this.nodesCpu(cpu)) / fill.presenceFrames : null;
    this.fills.push(fill);
    this.ctx.log(
      `  fill ${this.server.kind} to ${m}: connect ${connectSeconds.toFixed(1)} s, joins+presence ${fill.joinAndPresenceSeconds.toFixed(1)} s ` +
        `(${fill.presenceFrames} presence frames, server ${cpu.serverCpuPct.toFixed(0)}% gen ${cpu.generatorCpuPct.toFixed(0)}%)`,
    );
    if (!drained) throw new Error(`fanout ${this.server.kind}: presence frames did not all arrive`);
    return fill;
  }

  publish(scheduled) {
    const s = this.seq++;
    this.publisher.send(`{"type":"room.publish","id":"${s}","data":{"room":"${ROOM}","body":{"s":${s},"t":${scheduled.toFixed(3)},"p":"${PAD}"}}}`);
  }

  /** One window at a delivered rate (messages/s summed over members). */
  async window({ deliveredRate, seconds, warmupSeconds }) {
    const cfg = this.ctx.cfg.fanout;
    const n = this.members.length;
    const pubRate = deliveredRate / n;
    const warm = Math.max(1, Math.round(warmupSeconds * pubRate));
    const meas = Math.max(10, Math.round(seconds * pubRate));
    const total = warm + meas;
    const base = Int32Array.from(this.members, (c) => c.messages);
    const acks0 = this.publisher.acks;
    const errors0 = this.publisher.errors;
    const gaps0 = this.gaps;
    const seq0 = this.seq;
    this.recording = { from: seq0 + warm, to: seq0 + total, samples: new Samples(meas * cfg.sampled) };
    let meter;
    const t0 = performance.now() + 20;
    await runSchedule(t0, 1000 / pubRate, total, (k, scheduled) => {
      if (k === warm) meter = startMeter(this.meterPids);
      this.publish(scheduled);
    });
    const sendEnd = performance.now();
    const acked = await waitFor(() => this.publisher.acks + this.publisher.errors - acks0 - errors0 >= total, 30_000, 1);
    let cpu = this.cluster ? null : meter.stop();
    const ackLagMs = performance.now() - sendEnd;
    const delivered = await waitFor(() => this.members.every((c, i) => c.closed || c.messages - base[i] >= total), cfg.drainMs, this.cluster ? 1 : 10);
    cpu ??= meter.stop();
    let lost = 0;
    let closedMembers = 0;
    for (let i = 0; i < n; i++) {
      const c = this.members[i];
      if (c.closed) closedMembers++;
      lost += Math.max(0, total - (c.messages - base[i]));
    }
    const latency = this.recording.samples.summary();
    this.recording = null;
    const r = {
      kind: this.server.kind,
      members: n,
      deliveredRateTarget: deliveredRate,
      publishRate: pubRate,
      publishes: meas,
      achievedDeliveredRate: (meas * n) / cpu.wallSeconds,
      serverCpuPerDeliveredUs: (1e6 * this.nodesCpu(cpu)) / (meas * n),
      ...(this.cluster ? { otherCpuPerDeliveredUs: (1e6 * cpu.serverCpuSeconds.slice(this.nodeCount).reduce((a, b) => a + b, 0)) / (meas * n) } : {}),
      latencyMs: latency,
      lost,
      closedMembers,
      gaps: this.gaps - gaps0,
      publishErrors: this.publisher.errors - errors0,
      acked,
      delivered,
      ackLagMs,
      cpu,
    };
    r.pass = acked && delivered && lost === 0 && closedMembers === 0 && r.gaps === 0 && r.publishErrors === 0 && latency.p99 !== null && latency.p99 < cfg.p99LimitMs && r.achievedDeliveredRate >= 0.9 * deliveredRate;
    return r;
  }

  /** Raises the delivered rate step by step until a step fails; the max is the last passing step. */
  async maxSearch(startRate, factor, refine) {
    const cfg = this.ctx.cfg.fanout;
    const steps = [];
    let rate = startRate;
    let pass = null;
    let fail = null;
    // A step that fails while other processes disturbed it is run again (bounded), since the
    // failure may be theirs; a step that passes while disturbed stands.
    const step = (deliveredRate) =>
      this.ctx.undisturbed(
        `step ${this.server.kind} ${this.members.length} ${fmtRate(deliveredRate)}`,
        () => this.window({ deliveredRate, seconds: cfg.stepSeconds, warmupSeconds: cfg.stepWarmupSeconds }),
        (r) => (r.pass ? { foreignCore0Pct: 0, foreignCore1Pct: 0 } : r.cpu),
      );
    // Climb while steps pass; if the very first step fails, walk down instead until one passes.
    let direction = 0;
    for (let i = 0; i < cfg.maxSteps && rate >= cfg.ladderFloor; i++) {
      const r = await step(rate);
      steps.push(summarizeStep(r));
      this.ctx.log(`    step ${this.server.kind} ${this.members.length}: ${fmtRate(rate)} -> ${r.pass ? 'pass' : 'FAIL'} p99 ${r.latencyMs.p99} ms, lost ${r.lost}, server ${r.cpu.serverCpuPct.toFixed(0)}% gen ${r.cpu.generatorCpuPct.toFixed(0)}%`);
      await sleep(300);
      if (direction === 0) direction = r.pass ? 1 : -1;
      if (r.pass) pass = r;
      else fail = r;
      if (direction > 0 && !r.pass) break;
      if (direction < 0 && r.pass) break;
      rate = direction > 0 ? rate * factor : rate / factor;
    }
    if (refine && pass && fail) {
      const mid = Math.sqrt(pass.deliveredRateTarget * fail.deliveredRateTarget);
      const r = await step(mid);
      steps.push(summarizeStep(r));
      this.ctx.log(`    step ${this.server.kind} ${this.members.length}: ${fmtRate(mid)} -> ${r.pass ? 'pass' : 'FAIL'} p99 ${r.latencyMs.p99} ms, lost ${r.lost}`);
      await sleep(300);
      if (r.pass) pass = r;
    }
    return {
      kind: this.server.kind,
      members: this.members.length,
      maxDeliveredRate: pass ? pass.deliveredRateTarget : 0,
      maxAchievedRate: pass ? pass.achievedDeliveredRate : 0,
      atMax: pass ? summarizeStep(pass) : null,
      firstFailure: fail ? summarizeStep(fail) : null,
      bounded: !fail, // the ladder ended before any failure: the max is at least this
      steps,
    };
  }

  /** CPU seconds of the product nodes (not Redis) in a meter's result. */
  nodesCpu(cpu) {
    return cpu.serverCpuSeconds.slice(0, this.nodeCount).reduce((a, b) => a + b, 0);
  }

  async close() {
    for (const c of this.members) c.close();
    if (this.publisher) this.publisher.close();
  }
}

function summarizeStep(r) {
  return {
    deliveredRateTarget: Math.round(r.deliveredRateTarget),
    achievedDeliveredRate: Math.round(r.achievedDeliveredRate),
    p50: r.latencyMs.p50,
    p99: r.latencyMs.p99,
    lost: r.lost,
    closedMembers: r.closedMembers,
    gaps: r.gaps,
    pass: r.pass,
    serverCpuPct: round1(r.cpu.serverCpuPct),
    generatorCpuPct: round1(r.cpu.generatorCpuPct),
    foreignCore0Pct: round1(r.cpu.foreignCore0Pct),
    foreignCore1Pct: round1(r.cpu.foreignCore1Pct),
    serverCpuPerDeliveredUs: Math.round(r.serverCpuPerDeliveredUs * 1000) / 1000,
    attempts: r.attempts,
  };
}

const round1 = (v) => (v === null || v === undefined ? v : Math.round(v * 10) / 10);
export const fmtRate = (r) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)}M/s` : `${(r / 1e3).toFixed(1)}k/s`);
