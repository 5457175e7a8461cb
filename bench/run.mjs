#!/usr/bin/env node
// The benchmark suite: `npm run bench` (full, < 15 min) or `npm run bench -- --quick` (~2 min).
//
//   1. builds the product (`npm run build`; --no-build to skip, then dist/main.js must exist);
//   2. re-runs itself pinned to core 1 (`taskset -c 1`, file limit raised with `prlimit`): this
//      process is the load generator; both servers run pinned to core 0;
//   3. runs the scenarios against the product (production build, JWT, validation, heartbeats and
//      history on) and the raw `ws` baseline (bench/baseline-server.mjs), alternating runs;
//   4. prints one table (product, baseline, ratio, target) and writes everything it measured as
//      JSON to bench/results/<time>/results.json (and bench/results/latest.json).
//
// Options:
//   --quick                small counts, shortened heartbeats: checks the suite, not for quoting
//   --only a,b             scenarios among memory, connrate, reqreply, fanout, cluster, scaling, storm, conn100k
//                          (default: all but scaling, storm and conn100k, which run only when named:
//                          --only scaling, --only storm, --only conn100k)
//                          storm: the reconnect storm, bench/scenarios/storm.mjs: 19,000 clients at once
//                          conn100k: 100,000 idle connections per server with 5 s heartbeats, or
//                          as many as the servers' file limit allows (it prints which and why),
//                          clients in child processes over 127.0.0.2-9; ~6 min full, ~1 min --quick
//                          (scaling on a 3-primary Redis Cluster: --only scaling --set scaling.redis=cluster)
//   --reps N               runs per scenario and server (full: 3)
//   --product-dir DIR      the product checkout to benchmark (default: this repository)
//   --no-build             do not run `npm run build` in the product directory
//   --log-level LEVEL      the product's LOG_LEVEL (default: info, as in production)
//   --profile              CPU-profile both servers during the first run of each scenario (V8
//                          profiler in-process, 0.5 ms sampling: those runs cost a few % more);
//                          summarize with `node bench/profile-summary.mjs FILE`
//   --product-env K=V      extra environment for the product (repeatable), e.g. LOG_LEVEL=warn
//   --baseline-env K=V     extra environment for the baseline (repeatable)
//   --set PATH=VALUE       override a setting of bench/config.mjs, e.g. --set fanout.sizes=1000,2000
//   --baseline-dir DIR     A/B of a change: the baseline slot runs DIR's product build (DIR/dist/main.js,
//                          started like the product) instead of the raw ws baseline; the Ratio column
//                          is then product / DIR, in the same run, runs alternating
//   --baseline-only / --product-only
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FULL, QUICK } from './config.mjs';
import { clientStats, stopBatching } from './lib/lean-ws.mjs';
import { buildRows, renderScalingSummary, renderTable } from './lib/report.mjs';
import { BENCH_SECRET, fileLimit, NOFILE, pinningAvailable, Server } from './lib/servers.mjs';
import { leastDisturbed, waitForQuiet } from './lib/proc.mjs';
import { sleep } from './lib/stats.mjs';
import { mintMany, tokenFor } from './lib/tokens.mjs';
import { connRateRun, connRateWarmup } from './scenarios/connrate.mjs';
import { clusterRun } from './scenarios/cluster.mjs';
import { FanoutRoom, fmtRate, presenceFramesToFill } from './scenarios/fanout.mjs';
import { conn100kRun, planConn100k } from './scenarios/conn100k.mjs';
import { memoryRun } from './scenarios/memory.mjs';
import { redisLabel, scalingRun } from './scenarios/scaling.mjs';
import { stormRun } from './scenarios/storm.mjs';
import { closeReqReplyClients, openReqReplyClients, reqReplyRun } from './scenarios/reqreply.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.dirname(BENCH_DIR);
const SCENARIOS = ['memory', 'connrate', 'reqreply', 'fanout', 'cluster', 'scaling', 'storm', 'conn100k'];
// `scaling` (1-4 nodes + Redis, minutes), `storm` (19,000 sockets, a minute or two) and `conn100k`
// (minutes, and all the descriptors the machine allows) are not part of the default run:
// --only scaling, --only storm, --only conn100k.
const OPT_IN = ['scaling', 'storm', 'conn100k'];
const DEFAULT_SCENARIOS = SCENARIOS.filter((s) => !OPT_IN.includes(s));

function parseArgs(argv) {
  const out = { sets: [], quick: false, build: true, only: DEFAULT_SCENARIOS, logLevel: 'info', productDir: REPO_DIR, profile: false, kinds: ['product', 'baseline'], env: { product: {}, baseline: {} } };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--quick') out.quick = true;
    else if (a === '--no-build') out.build = false;
    else if (a === '--only') out.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--reps') out.reps = Number(value());
    else if (a === '--product-dir') out.productDir = path.resolve(value());
    else if (a === '--baseline-dir') out.baselineDir = path.resolve(value());
    else if (a === '--log-level') out.logLevel = value();
    else if (a === '--profile') out.profile = true;
    else if (a === '--set') out.sets.push(value());
    else if (a === '--product-env' || a === '--baseline-env') {
      const [k, ...v] = value().split('=');
      out.env[a === '--product-env' ? 'product' : 'baseline'][k] = v.join('=');
    }
    else if (a === '--baseline-only') out.kinds = ['baseline'];
    else if (a === '--product-only') out.kinds = ['product'];
    else if (a === '--help' || a === '-h') {
      process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  for (const s of out.only) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s} (${SCENARIOS.join(', ')})`);
  return out;
}

const args = parseArgs(process.argv.slice(2));

// ---- stage 1 (unpinned): build, then re-run pinned to core 1 ------------------------------------
if (!process.env.BENCH_GENERATOR) {
  if (args.build) {
    console.log(`[bench] npm run build in ${args.productDir}`);
    const r = spawnSync('npm', ['run', 'build'], { cwd: args.productDir, stdio: 'inherit' });
    if (r.status !== 0) {
      console.error('[bench] build failed');
      process.exit(r.status ?? 1);
    }
  }
  if (!fs.existsSync(path.join(args.productDir, 'dist', 'main.js'))) {
    console.error(`[bench] ${args.productDir}/dist/main.js is missing: run npm run build (or drop --no-build)`);
    process.exit(1);
  }
  const pin = pinningAvailable();
  if (!pin.taskset) console.warn('[bench] taskset (util-linux) not found: server and generator are NOT pinned; numbers are less comparable');
  const argv = [...(pin.prlimit ? ['prlimit', `--nofile=${NOFILE}:${NOFILE}`] : []), ...(pin.taskset ? ['taskset', '-c', '1'] : []), process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env: { ...process.env, BENCH_GENERATOR: pin.taskset ? 'pinned' : 'unpinned' } });
  process.exit(r.status ?? 1);
}

// ---- stage 2: the generator ---------------------------------------------------------------------
const cfg = structuredClone(args.quick ? QUICK : FULL);
if (args.reps) cfg.reps = args.reps;
for (const set of args.sets) {
  const [keyPath, raw] = set.split('=');
  const keys = keyPath.split('.');
  let target = cfg;
  for (const k of keys.slice(0, -1)) target = target[k];
  const old = target[keys.at(-1)];
  target[keys.at(-1)] = Array.isArray(old) ? raw.split(',').map(Number) : typeof old === 'number' ? Number(raw) : typeof old === 'boolean' ? raw === 'true' : raw;
}
const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('Z', '');
const outDir = path.join(BENCH_DIR, 'results', `${stamp}${args.quick ? '-quick' : ''}`);
fs.mkdirSync(outDir, { recursive: true });
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)}s`.padStart(5);
const log = (msg) => console.log(`[${elapsed()}] ${msg}`);

const limit = fileLimit();
const scalingMembers = cfg.scaling.smallRooms * cfg.scaling.smallMembers + cfg.scaling.bigRooms * cfg.scaling.bigMembers;
const maxClients = Math.max(cfg.memory.hold, ...cfg.memory.steps, cfg.connrate.count + Math.round(cfg.connrate.fixedRate * cfg.connrate.fixedSeconds), cfg.reqreply.clients, ...cfg.fanout.sizes, scalingMembers, cfg.scaling.spreadSize, args.only.includes('storm') ? cfg.storm.clients : 0) + 10;
log(`mode ${cfg.mode}, reps ${cfg.reps}, scenarios ${args.only.join(',')}, generator ${process.env.BENCH_GENERATOR} on core 1, servers on core 0; minting ${maxClients} tokens`);
// At most: the hold (one server), or both fan-out rooms, or both request/reply groups at once.
const maxOpen = Math.max(cfg.memory.hold, ...cfg.memory.steps, 2 * Math.max(...cfg.fanout.sizes) + 2, 2 * cfg.reqreply.clients, scalingMembers + cfg.scaling.spreadSize) + 100;
// conn100k sizes itself to the servers' file limit and holds its clients in child processes.
if (limit && limit < maxOpen) log(`WARNING: the file limit (${limit}) is below the ${maxOpen} sockets the scenarios need at once`);
const tokens = await mintMany('u', maxClients, BENCH_SECRET);
const publisherToken = await tokenFor('publisher', BENCH_SECRET);

const ctx = {
  cfg,
  log,
  // --profile: scenarios that start their own servers (cluster) profile them here.
  profileDir: args.profile ? path.join(outDir, 'profiles') : null,
  serverOptions: { productDir: args.productDir, baselineDir: args.baselineDir ?? null, outDir, logLevel: args.logLevel, core: process.env.BENCH_GENERATOR === 'pinned' ? 0 : null, envByKind: args.env },
  // Clients spread over 8 loopback source addresses: 8 x 28k ephemeral ports, never exhausted.
  connectOptions(server, i, role) {
    return {
      host: '127.0.0.1',
      port: server.port,
      token: role === 'publisher' ? publisherToken : tokens[i],
      localAddress: `127.0.0.${2 + (i % 8)}`,
    };
  },
};

const results = {
  meta: machineInfo(),
  config: cfg,
  options: { ...args, productDir: args.productDir },
  productEnv: { NODE_ENV: 'production', LOG_LEVEL: args.logLevel, RATE_LIMIT_PER_SEC: '1000000', RATE_LIMIT_BURST: '1000000', RATE_LIMIT_USER_PER_SEC: '1000000', RATE_LIMIT_USER_BURST: '1000000', MAX_CONNECTIONS_PER_USER: '100000', MAX_CONNECTIONS_PER_IP: '100000', heartbeats: 'defaults (25000/10000)' + (cfg.memory.serverEnv ? ' except the quick memory run' : ''), history: 'defaults' },
  scenarios: {},
};
const kinds = args.kinds;
/** Alternates which server goes first, so slow drifts of the machine's load hit both alike. */
const order = (rep) => (rep % 2 === 0 ? kinds : [...kinds].reverse());

/** Runs fn(); with --profile, the server is CPU-profiled during the first run of each scenario. */
async function profiled(server, name, rep, fn) {
  if (!args.profile || rep !== 0) return fn();
  await server.profileStart();
  try {
    return await fn();
  } finally {
    const file = path.join(outDir, 'profiles', `${name}-${server.kind}.cpuprofile`);
    await server.profileStop(file);
    log(`  profile: ${path.relative(process.cwd(), file)}`);
  }
}

/** A measurement, run again (bounded) while other processes disturbed it; see config `contention`. */
// Time the whole run may spend waiting for quiet moments and re-running disturbed windows.
const disturbanceBudget = { totalMs: cfg.contention.budgetSeconds * 1000, spentMs: 0 };
results.disturbanceBudget = disturbanceBudget;

function undisturbed(name, run, cpuOf) {
  const quiet = async () => {
    const waited = await waitForQuiet(liveServerPids(), cfg.contention, cfg.contention.maxQuietWaitMs, disturbanceBudget);
    if (waited > 1000) log(`  ${name}: waited ${(waited / 1000).toFixed(1)} s for other processes to calm down`);
  };
  return leastDisturbed(
    run,
    cpuOf,
    cfg.contention,
    async (cpu, attempt) => {
      const d = (core) => `core ${core} ${cpu[`foreignCore${core}Pct`]?.toFixed(0)}%${cpu[`stealCore${core}Pct`] > 1 ? ` + ${cpu[`stealCore${core}Pct`].toFixed(0)}% steal` : ''}`;
      if (disturbanceBudget.spentMs < disturbanceBudget.totalMs) log(`  ${name}: disturbed (other processes: ${d(0)}, ${d(1)}), again (${attempt}/${cfg.contention.retries})`);
      else log(`  ${name}: disturbed (other processes: ${d(0)}, ${d(1)}); the budget for re-runs is spent, kept`);
    },
    quiet,
    disturbanceBudget,
  );
}

const liveServers = new Set();
const liveServerPids = () => [...liveServers].filter((s) => s.child.exitCode === null).map((s) => s.pid);
ctx.undisturbed = undisturbed;
ctx.servers = { add: (...s) => s.forEach((x) => liveServers.add(x)), delete: (s) => liveServers.delete(s) };

/** Re-pins this process (the generator) when it runs pinned. */
function setOwnAffinity(cores) {
  if (process.env.BENCH_GENERATOR === 'pinned') spawnSync('taskset', ['-a', '-p', '-c', cores, String(process.pid)], { stdio: 'ignore' });
}

async function startPair(label) {
  const servers = {};
  for (const kind of kinds) servers[kind] = await Server.start(kind, { ...ctx.serverOptions, label: `${label}-${kind}` });
  for (const s of Object.values(servers)) liveServers.add(s);
  return servers;
}

async function stopPair(servers) {
  for (const s of Object.values(servers)) {
    liveServers.delete(s);
    await s.stop();
  }
}

function save() {
  results.finishedAt = new Date().toISOString();
  results.wallSeconds = (Date.now() - started) / 1000;
  results.clientStats = clientStats;
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(results, null, 1));
}

let exitCode = 0;
try {
  if (args.only.includes('memory')) {
    log('scenario: idle memory per connection' + (cfg.memory.hold ? ` + hold ${cfg.memory.hold} across a heartbeat cycle (product)` : ''));
    const out = (results.scenarios.memory = { product: [], baseline: [] });
    for (let rep = 0; rep < cfg.reps; rep++) for (const kind of order(rep)) out[kind].push(await memoryRun(ctx, kind, rep));
    save();
  }

  if (args.only.includes('connrate')) {
    log('scenario: connection rate with JWT verification');
    const out = (results.scenarios.connrate = { product: [], baseline: [] });
    const servers = await startPair('connrate');
    try {
      for (const kind of kinds) await connRateWarmup(ctx, servers[kind]);
      for (let rep = 0; rep < cfg.reps; rep++) {
        for (const kind of order(rep)) {
          const run = () => profiled(servers[kind], 'connrate', rep, () => connRateRun(ctx, servers[kind], rep));
          out[kind].push(await undisturbed(`connrate ${kind}`, run, (r) => r.closedLoop.cpu));
        }
      }
    } finally {
      await stopPair(servers);
    }
    save();
  }

  if (args.only.includes('storm')) {
    const c = cfg.storm;
    log(`scenario: reconnect storm, ${c.clients} clients at once from ${c.workers} processes, one fresh node each run (MAX_CONNECTIONS=${c.maxConnections}, MAX_CONNECTIONS_PER_IP=${c.maxConnectionsPerIp})`);
    const out = (results.scenarios.storm = { product: [], baseline: [] });
    for (let rep = 0; rep < cfg.reps; rep++) {
      for (const kind of order(rep)) out[kind].push(await stormRun(ctx, kind, rep, tokens.slice(0, c.clients)));
      save();
    }
  }

  if (args.only.includes('reqreply')) {
    log(`scenario: request/reply, ${cfg.reqreply.clients} clients x ${cfg.reqreply.perClientRate}/s`);
    const out = (results.scenarios.reqreply = { product: [], baseline: [] });
    const servers = await startPair('reqreply');
    const groups = {};
    try {
      for (const kind of kinds) groups[kind] = await openReqReplyClients(ctx, servers[kind]);
      await sleep(500);
      for (let rep = 0; rep < cfg.reps; rep++) {
        for (const kind of order(rep)) {
          const run = () => profiled(servers[kind], 'reqreply', rep, () => reqReplyRun(ctx, groups[kind], rep));
          out[kind].push(await undisturbed(`reqreply ${kind}`, run, (r) => r.cpu));
        }
      }
    } finally {
      for (const g of Object.values(groups)) closeReqReplyClients(g);
      await stopPair(servers);
    }
    save();
  }

  if (args.only.includes('fanout')) {
    log(`scenario: fan-out to ${cfg.fanout.sizes.join(' and ')} members (the run's time budget may lower the larger size)`);
    const out = (results.scenarios.fanout = { fills: { product: [], baseline: [] }, fixed: { product: [], baseline: [] }, sweep: { product: [], baseline: [] }, max: { product: [], baseline: [] } });
    const servers = await startPair('fanout');
    const rooms = {};
    const previousMax = {};
    try {
      for (const kind of kinds) {
        rooms[kind] = new FanoutRoom(ctx, servers[kind]);
        await rooms[kind].open();
      }
      out.sizes = [];
      let fillRate = null; // presence frames per second and server, from the previous fill
      let measureSeconds = null; // what the measurements of the previous size took
      for (const planned of cfg.fanout.sizes) {
        // Filling a room costs N(N-1)/2 presence frames while every join is announced to the earlier
        // members (up to PRESENCE_MAX_MEMBERS): minutes of set-up for a large limit. The run must end within
        // timeBudgetSeconds, so a size whose fill would not fit (estimated from the previous
        // fill's rate, with a margin) is lowered to the largest that fits, and said so.
        let size = planned;
        const prev = out.sizes.at(-1) ?? 0;
        if (fillRate && measureSeconds) {
          // Conservative: the servers' concurrent fill is assumed no faster than one after the
          // other (on a busy machine it is not), and the bigger room's measurements take 20 % longer.
          const left = cfg.timeBudgetSeconds - (Date.now() - started) / 1000 - 1.2 * measureSeconds;
          const frames = (Math.max(0, left) * fillRate) / kinds.length / cfg.fanout.fillMargin + presenceFramesToFill(prev);
          const fits = Math.floor((1 + Math.sqrt(1 + 8 * frames)) / 2 / 500) * 500;
          if (presenceFramesToFill(planned) > frames) {
            out.sizeNote = `planned ${planned} members; the room fill would not fit the ${cfg.timeBudgetSeconds} s budget at the measured ${Math.round(fillRate)} presence frames/s: ${fits > prev ? `${fits} members instead` : "skipped"}`;
            log(`  ${out.sizeNote}`);
            if (fits <= prev) break;
            size = fits;
          }
        }
        out.sizes.push(size);
        const fillStart = Date.now();
        // The fill is set-up, not a measurement: for big rooms both are filled at once, with the
        // servers allowed on both cores, then pinned back to core 0.
        if (size > cfg.fanout.sequentialFillUpTo && kinds.length > 1) {
          const widened = kinds.map((kind) => servers[kind].setAffinity('0,1'));
          setOwnAffinity('0,1');
          try {
            const fills = await Promise.all(kinds.map((kind) => rooms[kind].grow(size)));
            kinds.forEach((kind, i) => out.fills[kind].push({ ...fills[i], concurrent: true }));
          } finally {
            if (widened.some(Boolean)) for (const kind of kinds) servers[kind].setAffinity('0');
            setOwnAffinity('1');
          }
        } else {
          for (const kind of kinds) out.fills[kind].push(await rooms[kind].grow(size));
        }
        const newFrames = presenceFramesToFill(size) - presenceFramesToFill(prev);
        const concurrentFill = size > cfg.fanout.sequentialFillUpTo && kinds.length > 1;
        fillRate = (newFrames * (concurrentFill ? 1 : kinds.length)) / ((Date.now() - fillStart) / 1000);
        await sleep(1000);
        const measureStart = Date.now();
        const f = cfg.fanout;
        for (let rep = 0; rep < cfg.reps; rep++) {
          for (const kind of order(rep)) {
            const run = () =>
              profiled(servers[kind], `fanout-${size}`, rep, () => rooms[kind].window({ deliveredRate: f.fixedRate, seconds: f.fixedSeconds, warmupSeconds: f.fixedWarmupSeconds }));
            const r = await undisturbed(`fixed ${kind} ${size}`, run, (x) => x.cpu);
            out.fixed[kind].push({ ...r, rep: rep + 1 });
            log(
              `  fixed ${kind} ${size} @${fmtRate(f.fixedRate)}: ${r.serverCpuPerDeliveredUs.toFixed(3)} us/msg (server ${r.cpu.serverCpuPct.toFixed(0)}%, gen ${r.cpu.generatorCpuPct.toFixed(0)}%, other on core0 ${r.cpu.foreignCore0Pct?.toFixed(0)}%) ` +
                `p50 ${r.latencyMs.p50} p99 ${r.latencyMs.p99} ms lost ${r.lost}`,
            );
            await sleep(300);
            // The rate sweep (fanout.sweepRates): the same window at each delivered rate, to see where
            // a change helps or costs (e.g. COALESCE_WRITES at low rates).
            for (const deliveredRate of f.sweepRates ?? []) {
              const w = () => rooms[kind].window({ deliveredRate, seconds: f.fixedSeconds, warmupSeconds: f.fixedWarmupSeconds });
              const r = await undisturbed(`sweep ${kind} ${size} @${fmtRate(deliveredRate)}`, w, (x) => x.cpu);
              out.sweep[kind].push({ ...r, deliveredRate, rep: rep + 1 });
              log(`  sweep ${kind} ${size} @${fmtRate(deliveredRate)}: ${r.serverCpuPerDeliveredUs.toFixed(3)} us/msg p50 ${r.latencyMs.p50} p99 ${r.latencyMs.p99} ms lost ${r.lost}`);
              await sleep(300);
            }
          }
        }
        const firstMax = {};
        // The max moves a lot between runs (a median of at least 5 is asked): its own rep count.
        const maxReps = Math.max(cfg.reps, f.maxReps ?? 0);
        for (let rep = 0; rep < maxReps; rep++) {
          if (rep > 0 && (Date.now() - started) / 1000 > cfg.timeBudgetSeconds) {
            out.maxNote = `max-rate search for ${size} members: ${rep} run(s) of ${maxReps}, the run's time budget was spent`;
            log(`  ${out.maxNote}`);
            break;
          }
          for (const kind of order(rep)) {
            const first = firstMax[kind];
            // The first run climbs from ladderStart (or one rung under the previous size's max);
            // the next runs climb finer from one rung under the first run's max.
            const start = previousMax[kind] ? Math.max(f.ladderStart / f.ladderFactor, previousMax[kind] / f.ladderFactor) : f.ladderStart;
            const r = first
              ? await rooms[kind].maxSearch(first / f.ladderFactor, Math.sqrt(f.ladderFactor), false)
              : await rooms[kind].maxSearch(start, f.ladderFactor, true);
            if (!first) firstMax[kind] = Math.max(r.maxDeliveredRate, f.ladderStart / f.ladderFactor);
            out.max[kind].push({ ...r, rep: rep + 1 });
            log(`  max ${kind} ${size}: ${fmtRate(r.maxDeliveredRate)} (p99 ${r.atMax?.p99} ms, server ${r.atMax?.serverCpuPct}%, gen ${r.atMax?.generatorCpuPct}%)`);
          }
        }
        Object.assign(previousMax, firstMax);
        measureSeconds = (Date.now() - measureStart) / 1000;
        save();
      }
    } finally {
      for (const r of Object.values(rooms)) await r.close();
      await stopPair(servers);
    }
  }

  if (args.only.includes('cluster')) {
    const c = cfg.cluster;
    const left = cfg.timeBudgetSeconds - (Date.now() - started) / 1000;
    if (!kinds.includes('product')) {
      results.scenarios.cluster = { skipped: true, note: 'not run: --baseline-only' };
    } else if (left < c.minSecondsLeft) {
      results.scenarios.cluster = { skipped: true, note: `not run: ${Math.max(0, Math.round(left))} s of the run's time budget left, it needs about ${c.minSecondsLeft} s (run it alone: --only fanout,cluster)` };
      log(`  cluster: ${results.scenarios.cluster.note}`);
    } else {
      log(`scenario: cluster fan-out, 2 nodes + redis-server, ${c.size} members split across them`);
      results.scenarios.cluster = await clusterRun(ctx, { size: c.size, reps: cfg.reps, maxSearch: c.maxSearch });
    }
    save();
  }

  if (args.only.includes('conn100k')) {
    const c = cfg.conn100k;
    log(`scenario: conn100k, ${c.target} idle connections per server (or what the file limit allows), heartbeats ${c.heartbeat.intervalMs}/${c.heartbeat.timeoutMs} ms, held ${c.cycles} cycles`);
    const plan = await planConn100k(ctx, kinds);
    const out = (results.scenarios.conn100k = { plan, product: [], baseline: [] });
    for (let rep = 0; rep < cfg.reps; rep++) for (const kind of order(rep)) out[kind].push(await conn100kRun(ctx, kind, rep, plan));
    save();
  }

  if (args.only.includes('scaling')) {
    // Product builds only: the product, and with --baseline-dir the other build (A/B in one run).
    const scalingKinds = kinds.filter((k) => k === 'product' || args.baselineDir);
    const c = cfg.scaling;
    if (!scalingKinds.length) {
      results.scenarios.scaling = { skipped: true, note: 'not run: --baseline-only without --baseline-dir' };
    } else {
      log(`scenario: scaling, ${c.nodes.join('/')} node(s) + ${redisLabel(c)} (${scalingKinds.join(', ')}): ${c.smallRooms} rooms x ${c.smallMembers} on one node, ${c.bigRooms} x ${c.bigMembers} on every node, ${c.publishRate} publishes/s; one room of ${c.spreadSize} spread over the nodes`);
      results.scenarios.scaling = await scalingRun(ctx, scalingKinds);
    }
    save();
  }
} catch (err) {
  exitCode = 1;
  results.error = String(err?.stack ?? err);
  console.error(`[bench] FAILED: ${err?.stack ?? err}`);
} finally {
  stopBatching();
}

save();
const rows = buildRows(results);
results.table = rows;
const scalingSummary = renderScalingSummary(results);
const table = renderTable(rows) + (scalingSummary ? `\n\n${scalingSummary}` : '');
save();
fs.writeFileSync(path.join(outDir, 'table.md'), `${table}\n`);
fs.copyFileSync(path.join(outDir, 'results.json'), path.join(BENCH_DIR, 'results', args.quick ? 'latest-quick.json' : 'latest.json'));
console.log(`\n${table}\n`);
console.log(`[bench] ${cfg.mode} run finished in ${elapsed().trim()}; raw results: ${path.relative(process.cwd(), path.join(outDir, 'results.json'))}`);
if (args.profile) console.log(`[bench] CPU profiles: ${path.relative(process.cwd(), path.join(outDir, 'profiles'))} (node bench/profile-summary.mjs <file>)`);
process.exit(exitCode);

function machineInfo() {
  const git = (...a) => spawnSync('git', a, { cwd: args.productDir, encoding: 'utf8' }).stdout?.trim() || null;
  let wsVersion = null;
  try {
    wsVersion = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'node_modules', 'ws', 'package.json'), 'utf8')).version;
  } catch {
    // not installed here
  }
  return {
    startedAt: new Date().toISOString(),
    host: os.hostname(),
    cpuModel: os.cpus()[0]?.model,
    cpus: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    ws: wsVersion,
    productDir: args.productDir,
    productCommit: git('rev-parse', '--short', 'HEAD'),
    productDirty: git('status', '--porcelain', '--', 'src') ? true : false,
    loadAverageAtStart: os.loadavg(),
    generator: process.env.BENCH_GENERATOR,
    fileLimit: fileLimit(),
  };
}
