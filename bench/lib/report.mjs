// The one table: product vs baseline medians over the runs, their ratio, the target, and whether
// it is met. Lower-is-better metrics have a `<=` target, higher-is-better ones a `>=` target.
import { median } from './stats.mjs';

const kib = (b) => (b === null ? null : b / 1024);

function row(section, metric, unit, product, baseline, target, digits = 1) {
  const ratio = product !== null && baseline !== null && baseline !== 0 ? product / baseline : null;
  let met = null;
  if (target && ratio !== null) met = target.op === '<=' ? ratio <= target.value : ratio >= target.value;
  return { section, metric, unit, product, baseline, ratio, target: target ? `${target.op} ${target.value}x` : '', met, digits };
}

function med(runs, fn) {
  return median((runs ?? []).map(fn).filter((v) => v !== null && v !== undefined));
}

export function buildRows(results) {
  const rows = [];
  const s = results.scenarios;
  if (s.memory) {
    const { product: p, baseline: b } = s.memory;
    const stepsOf = (runs) => [...new Set((runs ?? []).flatMap((r) => r.steps.map((x) => x.connections)))];
    for (const n of stepsOf(p)) {
      const at = (runs, f) => med(runs, (r) => { const st = r.steps.find((x) => x.connections === n); return st ? f(st) : null; });
      const inB = (b ?? []).some((r) => r.steps.some((x) => x.connections === n));
      const main = n === Math.max(...results.config.memory.steps);
      rows.push(row(`Idle memory, ${n} conns`, 'RSS per connection', 'KiB', kib(at(p, (x) => x.rssPerConnBytes)), inB ? kib(at(b, (x) => x.rssPerConnBytes)) : null, main ? { op: '<=', value: 1.3 } : null, 2));
      rows.push(row(`Idle memory, ${n} conns`, 'heap per connection (after GC)', 'KiB', kib(at(p, (x) => x.heapPerConnBytes)), inB ? kib(at(b, (x) => x.heapPerConnBytes)) : null, main ? { op: '<=', value: 1.5 } : null, 2));
    }
    const holds = (p ?? []).map((r) => r.hold).filter(Boolean);
    if (holds.length) {
      const r = row(`Hold ${holds[0].connections} conns, heartbeats on`, 'runs with all held, 0 terminations', 'runs', holds.filter((h) => h.ok).length, null, null, 0);
      r.target = `all ${holds.length}`;
      r.met = holds.every((h) => h.ok);
      rows.push(r);
      rows.push(row(`Hold ${holds[0].connections} conns, heartbeats on`, 'server CPU while held (ping cycle)', '%', median(holds.map((h) => h.serverCpuPctWhileHeld)), null, null, 2));
    }
  }
  if (s.conn100k) {
    const { plan, product: p, baseline: b } = s.conn100k;
    const sec = `Idle connections: ${plan.count} per server (target ${plan.target}), heartbeats ${results.config.conn100k.heartbeat.intervalMs / 1000} s`;
    if (plan.count < plan.target) rows.push({ section: sec, metric: `count limited: ${plan.why}`, unit: '', product: null, baseline: null, ratio: null, target: '', met: null, digits: 0, skipped: true, label: 'limited' });
    rows.push(row(sec, 'RSS per connection (after GC)', 'KiB', kib(med(p, (r) => r.rssPerConnBytes)), kib(med(b, (r) => r.rssPerConnBytes)), { op: '<=', value: 1.0 }, 2));
    rows.push(row(sec, 'heap per connection (after GC)', 'KiB', kib(med(p, (r) => r.heapPerConnBytes)), kib(med(b, (r) => r.heapPerConnBytes)), null, 2));
    const external = row(sec, 'external per connection (after GC)', 'KiB', kib(med(p, (r) => r.externalPerConnBytes)), kib(med(b, (r) => r.externalPerConnBytes)), null, 2);
    // Idle connections hold no Buffers: both are ~0 and their ratio is noise.
    if (Math.abs(external.baseline ?? 0) < 0.05) external.ratio = null;
    rows.push(external);
    rows.push(row(sec, 'time to connect them all', 's', med(p, (r) => r.connectSeconds), med(b, (r) => r.connectSeconds), null, 1));
    rows.push(row(sec, 'server CPU per heartbeat cycle', 'ms', med(p, (r) => r.hold?.serverCpuMsPerCycle), med(b, (r) => r.hold?.serverCpuMsPerCycle), null, 1));
    const ok = (runs) => (runs ?? []).filter((r) => r.hold?.ok).length;
    const terminations = (runs) => (runs ?? []).reduce((a, r) => a + (r.hold ? r.hold.heartbeatTerminations + r.hold.unexpectedCloses : 0), 0);
    rows.push(row(sec, `false terminations over ${results.config.conn100k.cycles} cycles (all runs)`, 'conns', terminations(p), terminations(b), null, 0));
    const r = row(sec, 'runs with all held and pinged every cycle', 'runs', ok(p), b?.length ? ok(b) : null, null, 0);
    r.target = `all ${(p ?? []).length}`;
    r.met = (p ?? []).length > 0 && ok(p) === p.length;
    rows.push(r);
  }
  if (s.connrate) {
    const { product: p, baseline: b } = s.connrate;
    const sec = 'Connection rate (JWT verified)';
    rows.push(row(sec, `handshakes/s, ${results.config.connrate.concurrency} in flight`, '/s', med(p, (r) => r.closedLoop.handshakesPerSec), med(b, (r) => r.closedLoop.handshakesPerSec), { op: '>=', value: 0.8 }, 0));
    rows.push(row(sec, 'server CPU per handshake', 'us', med(p, (r) => r.closedLoop.serverCpuPerHandshakeUs), med(b, (r) => r.closedLoop.serverCpuPerHandshakeUs), null, 0));
    rows.push(row(sec, `p50 at ${results.config.connrate.fixedRate}/s (from scheduled start)`, 'ms', med(p, (r) => r.openLoop.latencyMs.p50), med(b, (r) => r.openLoop.latencyMs.p50), null, 2));
    rows.push(row(sec, `p99 at ${results.config.connrate.fixedRate}/s (from scheduled start)`, 'ms', med(p, (r) => r.openLoop.latencyMs.p99), med(b, (r) => r.openLoop.latencyMs.p99), null, 2));
    rows.push(row(sec, 'server CPU (closed loop)', '%', med(p, (r) => r.closedLoop.cpu.serverCpuPct), med(b, (r) => r.closedLoop.cpu.serverCpuPct), null, 0));
    rows.push(row(sec, 'generator CPU (closed loop)', '%', med(p, (r) => r.closedLoop.cpu.generatorCpuPct), med(b, (r) => r.closedLoop.cpu.generatorCpuPct), null, 0));
  }
  if (s.storm) {
    const { product: p, baseline: b } = s.storm;
    const sec = `Reconnect storm (${results.config.storm.clients} clients at once)`;
    const all = row(sec, 'runs with every client welcomed, 0 failures', 'runs', (p ?? []).filter((r) => r.failed === 0).length, (b ?? []).filter((r) => r.failed === 0).length, null, 0);
    all.target = `all ${(p ?? []).length}`;
    all.met = (p ?? []).length > 0 && (p ?? []).every((r) => r.failed === 0);
    rows.push(all);
    rows.push(row(sec, 'failures (sum over the runs)', 'clients', (p ?? []).reduce((n, r) => n + r.failed, 0), (b ?? []).reduce((n, r) => n + r.failed, 0), null, 0));
    rows.push(row(sec, 'time until the last welcome', 's', med(p, (r) => r.lastWelcomeSeconds), med(b, (r) => r.lastWelcomeSeconds), null, 2));
    rows.push(row(sec, 'server CPU per handshake', 'us', med(p, (r) => r.serverCpuPerHandshakeUs), med(b, (r) => r.serverCpuPerHandshakeUs), null, 0));
    rows.push(row(sec, 'handshake p50 (connect -> welcome)', 'ms', med(p, (r) => r.handshakeMs.p50), med(b, (r) => r.handshakeMs.p50), null, 0));
    rows.push(row(sec, 'handshake p99 (connect -> welcome)', 'ms', med(p, (r) => r.handshakeMs.p99), med(b, (r) => r.handshakeMs.p99), null, 0));
  }
  if (s.reqreply) {
    const { product: p, baseline: b } = s.reqreply;
    const c = results.config.reqreply;
    const sec = `Request/reply (${c.clients} clients x ${c.perClientRate}/s)`;
    rows.push(row(sec, 'RTT p50', 'ms', med(p, (r) => r.rttMs.p50), med(b, (r) => r.rttMs.p50), null, 2));
    rows.push(row(sec, 'RTT p99', 'ms', med(p, (r) => r.rttMs.p99), med(b, (r) => r.rttMs.p99), { op: '<=', value: 1.5 }, 2));
    rows.push(row(sec, 'server CPU per request', 'us', med(p, (r) => r.serverCpuPerRequestUs), med(b, (r) => r.serverCpuPerRequestUs), { op: '<=', value: 1.3 }, 1));
    rows.push(row(sec, 'server CPU', '%', med(p, (r) => r.cpu.serverCpuPct), med(b, (r) => r.cpu.serverCpuPct), null, 0));
    rows.push(row(sec, 'generator CPU', '%', med(p, (r) => r.cpu.generatorCpuPct), med(b, (r) => r.cpu.generatorCpuPct), null, 0));
  }
  if (s.fanout) {
    const f = s.fanout;
    if (f.maxNote) rows.push({ section: 'Fan-out', metric: f.maxNote, unit: '', product: null, baseline: null, ratio: null, target: '', met: null, digits: 0, skipped: true, label: 'shortened' });
    if (f.sizeNote) rows.push({ section: 'Fan-out', metric: f.sizeNote, unit: '', product: null, baseline: null, ratio: null, target: '', met: null, digits: 0, skipped: true, label: 'lowered' });
    for (const size of f.sizes ?? results.config.fanout.sizes) {
      const fixed = (kind) => (f.fixed?.[kind] ?? []).filter((r) => r.members === size);
      const maxes = (kind) => (f.max?.[kind] ?? []).filter((r) => r.members === size);
      const sec = `Fan-out to ${size} members`;
      /** The rows of windows at one delivered rate: the fixed rate (with its CPU target), then the sweep's. */
      const rateRows = (windows, rate, cpuTarget, more) => {
        if (!windows('product').length) return;
        const at = `at ${rate / 1000}k msg/s`;
        rows.push(row(sec, `server CPU per delivered msg ${at}`, 'us', med(windows('product'), (r) => r.serverCpuPerDeliveredUs), med(windows('baseline'), (r) => r.serverCpuPerDeliveredUs), cpuTarget, 3));
        rows.push(row(sec, `p50 ${at}`, 'ms', med(windows('product'), (r) => r.latencyMs.p50), med(windows('baseline'), (r) => r.latencyMs.p50), null, 2));
        rows.push(row(sec, `p99 ${at}`, 'ms', med(windows('product'), (r) => r.latencyMs.p99), med(windows('baseline'), (r) => r.latencyMs.p99), null, 2));
        rows.push(row(sec, `lost ${at} (all runs)`, 'msgs', sum(windows('product'), (r) => r.lost), sum(windows('baseline'), (r) => r.lost), null, 0));
        if (!more) return;
        rows.push(row(sec, `server CPU ${at}`, '%', med(windows('product'), (r) => r.cpu.serverCpuPct), med(windows('baseline'), (r) => r.cpu.serverCpuPct), null, 0));
        rows.push(row(sec, `generator CPU ${at}`, '%', med(windows('product'), (r) => r.cpu.generatorCpuPct), med(windows('baseline'), (r) => r.cpu.generatorCpuPct), null, 0));
      };
      rateRows(fixed, results.config.fanout.fixedRate, { op: '<=', value: 1.0 }, true);
      for (const rate of results.config.fanout.sweepRates ?? []) {
        rateRows((kind) => (f.sweep?.[kind] ?? []).filter((r) => r.members === size && r.deliveredRate === rate), rate, null, false);
      }
      if (maxes('product').length) {
        rows.push(row(sec, `max sustained delivered msg/s (p99 < 100 ms, 0 lost; median of ${maxes('product').length})`, '/s', med(maxes('product'), (r) => r.maxDeliveredRate), med(maxes('baseline'), (r) => r.maxDeliveredRate), null, 0));
        rows.push(row(sec, 'p99 at that max', 'ms', med(maxes('product'), (r) => r.atMax?.p99), med(maxes('baseline'), (r) => r.atMax?.p99), null, 1));
        rows.push(row(sec, 'server CPU at that max', '%', med(maxes('product'), (r) => r.atMax?.serverCpuPct), med(maxes('baseline'), (r) => r.atMax?.serverCpuPct), null, 0));
        rows.push(row(sec, 'generator CPU at that max', '%', med(maxes('product'), (r) => r.atMax?.generatorCpuPct), med(maxes('baseline'), (r) => r.atMax?.generatorCpuPct), null, 0));
      }
      const fills = (kind) => (f.fills?.[kind] ?? []).filter((r) => r.size === size);
      if (fills('product').length) {
        rows.push(row(sec, `room fill: joins + ${fills('product')[0].presenceFrames} presence frames`, 's', med(fills('product'), (r) => r.joinAndPresenceSeconds), med(fills('baseline'), (r) => r.joinAndPresenceSeconds), null, 1));
      }
    }
  }
  if (s.cluster?.skipped) rows.push({ section: 'Cluster fan-out (2 nodes via Redis)', metric: s.cluster.note, unit: '', product: null, baseline: null, ratio: null, target: '', met: null, digits: 0, skipped: true });
  else if (s.cluster) {
    // Product column: the two nodes; Baseline column: the single-node product, same room size.
    const c = s.cluster;
    const single = (s.fanout?.fixed?.product ?? []).filter((r) => r.members === c.size);
    const singleMax = (s.fanout?.max?.product ?? []).filter((r) => r.members === c.size);
    const fr = results.config.fanout.fixedRate;
    const sec = `Cluster fan-out to ${c.size} members, 2 nodes via Redis (Baseline column: 1 product node)`;
    rows.push(row(sec, `server CPU per delivered msg at ${fr / 1000}k msg/s (both nodes)`, 'us', med(c.fixed, (r) => r.serverCpuPerDeliveredUs), med(single, (r) => r.serverCpuPerDeliveredUs), null, 3));
    rows.push(row(sec, `Redis CPU per delivered msg at ${fr / 1000}k msg/s`, 'us', med(c.fixed, (r) => r.otherCpuPerDeliveredUs), null, null, 3));
    rows.push(row(sec, `p50 at ${fr / 1000}k msg/s`, 'ms', med(c.fixed, (r) => r.latencyMs.p50), med(single, (r) => r.latencyMs.p50), null, 2));
    rows.push(row(sec, `p99 at ${fr / 1000}k msg/s`, 'ms', med(c.fixed, (r) => r.latencyMs.p99), med(single, (r) => r.latencyMs.p99), null, 2));
    rows.push(row(sec, `lost at ${fr / 1000}k msg/s (all runs)`, 'msgs', sum(c.fixed, (r) => r.lost), sum(single, (r) => r.lost), null, 0));
    rows.push(row(sec, `servers' CPU at ${fr / 1000}k msg/s (nodes + Redis)`, '%', med(c.fixed, (r) => r.cpu.serverCpuPct), med(single, (r) => r.cpu.serverCpuPct), null, 0));
    if (c.max?.length) {
      rows.push(row(sec, 'max sustained delivered msg/s (p99 < 100 ms, 0 lost)', '/s', med(c.max, (r) => r.maxDeliveredRate), med(singleMax, (r) => r.maxDeliveredRate), null, 0));
      rows.push(row(sec, 'p99 at that max', 'ms', med(c.max, (r) => r.atMax?.p99), med(singleMax, (r) => r.atMax?.p99), null, 1));
    }
    rows.push(row(sec, `room fill: joins + ${c.fill.presenceFrames} presence frames`, 's', c.fill.joinAndPresenceSeconds, null, null, 1));
  }
  if (s.scaling?.skipped) rows.push({ section: 'Scaling (N nodes via Redis)', metric: s.scaling.note, unit: '', product: null, baseline: null, ratio: null, target: '', met: null, digits: 0, skipped: true });
  else if (s.scaling) rows.push(...scalingRows(s.scaling));
  return rows;
}

/**
 * Scaling rows, per N. Baseline column: with --baseline-dir the other build at the same N (an A/B
 * in one run); otherwise the product at 1 node in the same run (the Ratio is then the growth).
 */
function scalingRows(sc) {
  const rows = [];
  const p = sc.byKind.product;
  const b = sc.byKind.baseline;
  const c = sc.config;
  if (!p) return rows;
  const vs = (b ? 'Baseline column: the --baseline-dir build' : 'Baseline column: 1 node') + (c.redis === 'cluster' ? `; Redis: a ${c.clusterPrimaries ?? 3}-primary Cluster` : '');
  const other = (list, n) => (b ? b[list].find((x) => x.nodes === n) : p[list].find((x) => x.nodes === 1));
  for (const d of p.deploy) {
    const o = other('deploy', d.nodes);
    const sec = `Scaling, deployment mix, ${d.nodes} node(s): ${c.smallRooms} rooms x ${c.smallMembers} on one node + ${c.bigRooms} x ${c.bigMembers} on all, ${c.publishRate} pub/s (${vs})`;
    const m = (x, f) => (x ? med(x.windows, f) : null);
    rows.push(row(sec, 'delivered msg/s', '/s', m(d, (w) => w.deliveredRate), m(o, (w) => w.deliveredRate), null, 0));
    rows.push(row(sec, 'lost (all runs)', 'msgs', sum(d.windows, (w) => w.lost), o ? sum(o.windows, (w) => w.lost) : null, null, 0));
    const metric = d.windows.some((w) => w.busMessagesPerPublish !== null);
    rows.push(row(sec, metric ? 'Redis-to-node bus messages per publish (node metric)' : 'Redis-to-node bus messages per publish (estimated from Redis output bytes)', 'msgs',
      m(d, (w) => w.busMessagesPerPublish ?? w.busMessagesPerPublishFromBytes), m(o, (w) => w.busMessagesPerPublish ?? w.busMessagesPerPublishFromBytes), null, 2));
    rows.push(row(sec, 'Redis output bytes per publish', 'B', m(d, (w) => w.redisOutBytesPerPublish), m(o, (w) => w.redisOutBytesPerPublish), null, 0));
    rows.push(row(sec, 'Redis output bytes per delivered msg', 'B', m(d, (w) => w.redisOutBytesPerDelivered), m(o, (w) => w.redisOutBytesPerDelivered), null, 1));
    rows.push(row(sec, 'node CPU per delivered msg (all nodes)', 'us', m(d, (w) => w.nodeCpuPerDeliveredUs), m(o, (w) => w.nodeCpuPerDeliveredUs), null, 2));
    rows.push(row(sec, 'Redis CPU per publish (INFO cpu, idle subtracted)', 'us', m(d, (w) => w.redisCpuPerPublishUs), m(o, (w) => w.redisCpuPerPublishUs), null, 2));
    rows.push(row(sec, 'of which EVAL/EVALSHA execution (commandstats)', 'us', m(d, (w) => w.redisEvalUsecPerPublish), m(o, (w) => w.redisEvalUsecPerPublish), null, 2));
    rows.push(row(sec, 'Redis input bytes per publish', 'B', m(d, (w) => w.redisInBytesPerPublish), m(o, (w) => w.redisInBytesPerPublish), null, 0));
    rows.push(row(sec, 'p99 publish-to-receive (1 member per room)', 'ms', m(d, (w) => w.latencyMs.p99), m(o, (w) => w.latencyMs.p99), null, 1));
    const primaries = d.windows[0]?.perPrimary?.length ?? 0;
    for (let k = 0; k < primaries; k++) {
      const pp = (f) => (x) => (x?.perPrimary?.[k] ? f(x.perPrimary[k]) : null);
      rows.push(row(sec, `primary ${k + 1}: share of the publishes (its rooms)`, '%', m(d, pp((x) => 100 * x.publishShare)), m(o, pp((x) => 100 * x.publishShare)), null, 1));
      rows.push(row(sec, `primary ${k + 1}: SPUBLISH per publish (commandstats)`, 'calls', m(d, pp((x) => x.spublishPerPublish)), m(o, pp((x) => x.spublishPerPublish)), null, 3));
      rows.push(row(sec, `primary ${k + 1}: Redis CPU per publish (all publishes; INFO cpu, idle subtracted)`, 'us', m(d, pp((x) => x.cpuPerPublishUs)), m(o, pp((x) => x.cpuPerPublishUs)), null, 2));
      rows.push(row(sec, `primary ${k + 1}: Redis output bytes per publish`, 'B', m(d, pp((x) => x.outBytesPerPublish)), m(o, pp((x) => x.outBytesPerPublish)), null, 0));
    }
  }
  for (const sp of p.spread) {
    const o = other('spread', sp.nodes);
    const sec = `Scaling, one room of ${sp.members} spread over ${sp.nodes} node(s) (${vs})`;
    const rate = (sp.fixed.deliveredRateTarget / 1000).toFixed(0);
    const perCpu = (us) => (us ? 1e6 / us : null);
    rows.push(row(sec, `node CPU per delivered msg at ${rate}k msg/s`, 'us', sp.fixed.nodeCpuPerDeliveredUs, o?.fixed.nodeCpuPerDeliveredUs ?? null, null, 2));
    rows.push(row(sec, `delivered msg/s per node-CPU-second at ${rate}k msg/s`, '/s', perCpu(sp.fixed.nodeCpuPerDeliveredUs), perCpu(o?.fixed.nodeCpuPerDeliveredUs), null, 0));
    rows.push(row(sec, `lost at ${rate}k msg/s`, 'msgs', sp.fixed.lost, o?.fixed.lost ?? null, null, 0));
    if (sp.max) {
      rows.push(row(sec, 'max sustained delivered msg/s (p99 < 100 ms, 0 lost; all processes on one core)', '/s', sp.max.maxDeliveredRate, o?.max?.maxDeliveredRate ?? null, null, 0));
      rows.push(row(sec, 'delivered msg/s per node-CPU-second at that max', '/s', perCpu(sp.max.atMax?.serverCpuPerDeliveredUs), perCpu(o?.max?.atMax?.serverCpuPerDeliveredUs), null, 0));
      rows.push(row(sec, "servers' CPU at that max (nodes + Redis)", '%', sp.max.atMax?.serverCpuPct ?? null, o?.max?.atMax?.serverCpuPct ?? null, null, 0));
    }
  }
  return rows;
}

function sum(runs, fn) {
  return runs.length ? runs.reduce((a, r) => a + (fn(r) ?? 0), 0) : null;
}

const fmt = (v, d) => (v === null || v === undefined || Number.isNaN(v) ? '-' : Number(v).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));

export function renderTable(rows) {
  const lines = ['| Scenario | Metric | Unit | Product | Baseline | Ratio | Target | Met |', '|---|---|---|---:|---:|---:|---|---|'];
  for (const r of rows) {
    if (r.skipped) {
      lines.push(`| ${r.section} | ${r.metric} | | | | | | ${r.label ?? 'skipped'} |`);
      continue;
    }
    const ratio = r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`;
    const met = r.met === null ? '' : r.met ? 'yes' : '**no**';
    lines.push(`| ${r.section} | ${r.metric} | ${r.unit} | ${fmt(r.product, r.digits)} | ${fmt(r.baseline, r.digits)} | ${ratio} | ${r.target} | ${met} |`);
  }
  return lines.join('\n');
}

/**
 * The scaling scenario as a compact table: one row per metric, one column per node count (and,
 * with --baseline-dir, the other build's figure after a slash). Medians over the windows.
 */
export function renderScalingSummary(results) {
  const sc = results.scenarios?.scaling;
  if (!sc || sc.skipped || !sc.byKind?.product) return '';
  const p = sc.byKind.product;
  const b = sc.byKind.baseline;
  const ns = sc.config.nodes;
  const c = sc.config;
  const cell = (v, d) => (typeof v === 'string' ? v : fmt(v, d));
  const line = (label, unit, get, d, list = 'deploy') =>
    `| ${label} | ${unit} | ${ns
      .map((n) => {
        const x = p[list].find((e) => e.nodes === n);
        const y = b?.[list].find((e) => e.nodes === n);
        const vx = x ? get(x) : null;
        return b ? `${cell(vx, d)} / ${cell(y ? get(y) : null, d)}` : cell(vx, d);
      })
      .join(' | ')} |`;
  const mw = (f) => (d) => med(d.windows, f);
  const cluster = c.redis === 'cluster';
  const primaries = cluster ? (p.deploy[0]?.windows[0]?.perPrimary?.length ?? c.clusterPrimaries ?? 3) : 1;
  const summed = cluster ? `, summed over the ${primaries} primaries` : '';
  const lines = [
    `Scaling (${b ? 'product / --baseline-dir build' : 'product'}; ${cluster ? `Redis: a ${primaries}-primary Cluster, sharded pub/sub` : 'Redis: one redis-server'}; medians of ${c.reps} window(s) per N; all nodes and Redis on one core)`,
    '',
    `| Metric | Unit | ${ns.map((n) => `${n} node${n > 1 ? 's' : ''}`).join(' | ')} |`,
    `|---|---|${ns.map(() => '---:').join('|')}|`,
  ];
  lines.push(`| **A. Deployment mix**: ${c.smallRooms} rooms x ${c.smallMembers} (each on one node) + ${c.bigRooms} x ${c.bigMembers} (on every node), ${c.publishRate} publishes/s, ${Math.round(c.bigShare * 100)} % into the big rooms | | ${ns.map(() => '').join(' | ')} |`);
  lines.push(line('delivered msg/s', '/s', mw((w) => w.deliveredRate), 0));
  lines.push(line('lost', 'msgs', (d) => sum(d.windows, (w) => w.lost), 0));
  lines.push(line('Redis-to-node bus messages per publish, node metric', 'msgs', mw((w) => w.busMessagesPerPublish), 2));
  lines.push(line('Redis-to-node bus messages per publish, from Redis output bytes', 'msgs', mw((w) => w.busMessagesPerPublishFromBytes), 2));
  lines.push(line(`Redis output bytes per publish${summed}`, 'B', mw((w) => w.redisOutBytesPerPublish), 0));
  lines.push(line('Redis output bytes per delivered msg', 'B', mw((w) => w.redisOutBytesPerDelivered), 1));
  lines.push(line(`Redis input bytes per publish${summed}`, 'B', mw((w) => w.redisInBytesPerPublish), 0));
  lines.push(line('node CPU per delivered msg (all nodes)', 'us', mw((w) => w.nodeCpuPerDeliveredUs), 2));
  lines.push(line('node CPU per publish (all nodes)', 'us', mw((w) => w.nodeCpuPerPublishUs), 0));
  lines.push(line(`Redis CPU per publish (INFO cpu, idle subtracted${summed})`, 'us', mw((w) => w.redisCpuPerPublishUs), 1));
  lines.push(line('of which EVAL/EVALSHA (commandstats)', 'us', mw((w) => w.redisEvalUsecPerPublish), 1));
  if (cluster) {
    const pp = (k, f) => mw((w) => (w.perPrimary?.[k] ? f(w.perPrimary[k]) : null));
    lines.push(line('SPUBLISH per publish, all primaries (commandstats)', 'calls', mw((w) => w.perPrimary?.reduce((a, x) => a + x.spublishPerPublish, 0) ?? null), 3));
    lines.push(line('EVAL/EVALSHA calls per publish, all primaries', 'calls', mw((w) => w.perPrimary?.reduce((a, x) => a + x.evalCalls, 0) / w.publishes), 3));
    for (let k = 0; k < primaries; k++) {
      lines.push(line(`primary ${k + 1}: rooms (small + big)`, '', (d) => (d.redis?.roomsPerPrimary?.[k] ? `${d.redis.roomsPerPrimary[k].small} + ${d.redis.roomsPerPrimary[k].big}` : null), 0));
      const spublishShare = (w) => (100 * w.perPrimary[k].spublishCalls) / Math.max(1, w.perPrimary.reduce((a, x) => a + x.spublishCalls, 0));
      const cpuShare = (w) => (100 * w.perPrimary[k].cpuSeconds) / w.perPrimary.reduce((a, x) => a + x.cpuSeconds, 0);
      lines.push(line(`primary ${k + 1}: share of the publishes (its rooms) / of the SPUBLISH calls`, '%', (d) => `${fmt(pp(k, (x) => 100 * x.publishShare)(d), 1)} / ${fmt(mw((w) => (w.perPrimary?.[k] ? spublishShare(w) : null))(d), 1)}`, 0));
      lines.push(line(`primary ${k + 1}: Redis CPU per publish (all publishes) / its share of the primaries' CPU`, 'us / %', (d) => `${fmt(pp(k, (x) => x.cpuPerPublishUs)(d), 1)} / ${fmt(mw((w) => (w.perPrimary?.[k] ? cpuShare(w) : null))(d), 0)}`, 0));
      lines.push(line(`primary ${k + 1}: Redis output bytes per publish`, 'B', pp(k, (x) => x.outBytesPerPublish), 0));
    }
  }
  lines.push(line('p99 publish-to-receive', 'ms', mw((w) => w.latencyMs.p99), 1));
  lines.push(line('windows disturbed by other processes', '', (d) => d.windows.filter((w) => w.disturbed).length, 0));
  if (p.spread.length) {
    const sp = p.spread[0];
    lines.push(`| **B. One room of ${sp.members} spread evenly over the nodes** | | ${ns.map(() => '').join(' | ')} |`);
    lines.push(line(`node CPU per delivered msg at ${c.spreadFixedRate / 1000}k msg/s (median of ${c.reps})`, 'us', (s) => s.fixed.nodeCpuPerDeliveredUs, 2, 'spread'));
    lines.push(line(`delivered msg/s per node-CPU-second at ${c.spreadFixedRate / 1000}k msg/s`, '/s', (s) => (s.fixed.nodeCpuPerDeliveredUs ? 1e6 / s.fixed.nodeCpuPerDeliveredUs : null), 0, 'spread'));
    lines.push(line('max sustained delivered msg/s (p99 < 100 ms, 0 lost)', '/s', (s) => s.max?.maxDeliveredRate ?? null, 0, 'spread'));
    lines.push(line('delivered msg/s per node-CPU-second at that max', '/s', (s) => (s.max?.atMax?.serverCpuPerDeliveredUs ? 1e6 / s.max.atMax.serverCpuPerDeliveredUs : null), 0, 'spread'));
    lines.push(line("servers' CPU at that max (nodes + Redis, one core)", '%', (s) => s.max?.atMax?.serverCpuPct ?? null, 0, 'spread'));
    lines.push(line('fixed-rate windows disturbed by other processes (the median one)', '', (s) => (s.fixed.disturbed ?? Math.min(...(s.fixed.attempts ?? []).map((a) => a.disturbance)) > 1 ? 1 : 0), 0, 'spread'));
  }
  return lines.join('\n');
}
