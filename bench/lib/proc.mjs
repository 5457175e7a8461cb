// CPU accounting from /proc: a process's utime+stime (all its threads), and per-core busy time
// (to see how much of a core went to processes other than ours: other engineers' test runs).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let clkTck = 100;
try {
  clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  // keep 100
}

/** CPU seconds used so far by a process (utime + stime of all threads), from /proc/<pid>/stat. */
export function processCpuSeconds(pid = 'self') {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clkTck;
}

/** Per core, seconds so far of: busy (user+nice+system+irq+softirq), softirq alone, and steal. */
export function coreTimes() {
  const out = {};
  for (const line of fs.readFileSync('/proc/stat', 'utf8').split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [user, nice, system, , , irq, softirq, steal] = m[2].split(/\s+/).map(Number);
    out[m[1]] = { busy: (user + nice + system + irq + softirq) / clkTck, softirq: (irq + softirq) / clkTck, steal: (steal || 0) / clkTck };
  }
  return out;
}

/**
 * A CPU meter over a window: the server(s), this generator, and both cores. `stop()` returns CPU
 * seconds and shares of the wall time. `foreignCore0Pct`/`foreignCore1Pct`: how busy core 0 (the
 * servers') and core 1 (the generator's) were with processes that are not ours (other engineers'
 * test runs); `softirqCore*Pct`: interrupt time, mostly our own loopback packet processing, which
 * the kernel does not charge to the process; `stealCore*Pct`: time the hypervisor took.
 */
export function startMeter(serverPids) {
  const t0 = performance.now();
  const s0 = serverPids.map((pid) => processCpuSeconds(pid));
  const g0 = processCpuSeconds('self');
  const c0 = coreTimes();
  return {
    stop() {
      const wall = (performance.now() - t0) / 1000;
      const server = serverPids.map((pid, i) => processCpuSeconds(pid) - s0[i]);
      const generator = processCpuSeconds('self') - g0;
      const c1 = coreTimes();
      const share = (core, key) => (c1[core] && c0[core] ? (100 * (c1[core][key] - c0[core][key])) / wall : null);
      const serverTotal = server.reduce((a, b) => a + b, 0);
      const pct = (x) => (100 * x) / wall;
      return {
        wallSeconds: wall,
        serverCpuSeconds: server,
        generatorCpuSeconds: generator,
        serverCpuPct: pct(serverTotal),
        generatorCpuPct: pct(generator),
        foreignCore0Pct: share('0', 'busy') === null ? null : Math.max(0, share('0', 'busy') - share('0', 'softirq') - pct(serverTotal)),
        foreignCore1Pct: share('1', 'busy') === null ? null : Math.max(0, share('1', 'busy') - share('1', 'softirq') - pct(generator)),
        softirqCore0Pct: share('0', 'softirq'),
        softirqCore1Pct: share('1', 'softirq'),
        stealCore0Pct: share('0', 'steal'),
        stealCore1Pct: share('1', 'steal'),
      };
    },
  };
}

/** How much other processes disturbed a window (0 = not at all); see startMeter. */
export function disturbance(cpu, limits) {
  // Time the hypervisor stole from a core hurts like another process on it.
  const c0 = ((cpu.foreignCore0Pct ?? 0) + (cpu.stealCore0Pct ?? 0)) / limits.maxForeignCore0Pct;
  const c1 = ((cpu.foreignCore1Pct ?? 0) + (cpu.stealCore1Pct ?? 0)) / limits.maxForeignCore1Pct;
  return Math.max(c0, c1);
}

/**
 * Runs a measurement; while other processes disturbed it beyond the limits (disturbance > 1), runs
 * it again, at most `limits.retries` more times and while the run's `budget` of time for waiting
 * and retrying ({totalMs, spentMs}) lasts. Returns the least disturbed result, with every
 * attempt's disturbance in `attempts`.
 */
export async function leastDisturbed(run, cpuOf, limits, onRetry, quiet, budget) {
  let best = null;
  let bestScore = Infinity;
  const attempts = [];
  for (let i = 0; i <= limits.retries; i++) {
    if (i > 0 && budget && budget.spentMs >= budget.totalMs) break; // retries are out of budget
    if (quiet) await quiet();
    const t0 = performance.now();
    const r = await run(i);
    if (i > 0 && budget) budget.spentMs += performance.now() - t0;
    const cpu = cpuOf(r);
    const score = disturbance(cpu, limits);
    attempts.push({
      foreignCore0Pct: round1(cpu.foreignCore0Pct),
      foreignCore1Pct: round1(cpu.foreignCore1Pct),
      stealCore0Pct: round1(cpu.stealCore0Pct),
      stealCore1Pct: round1(cpu.stealCore1Pct),
      disturbance: round1(score),
    });
    if (score < bestScore) {
      best = r;
      bestScore = score;
    }
    if (score <= 1) break;
    if (i < limits.retries && onRetry) await onRetry(cpu, i + 1);
  }
  best.attempts = attempts;
  best.disturbed = bestScore > 1;
  return best;
}

const round1 = (v) => (v === null || v === undefined ? v : Math.round(v * 10) / 10);

/**
 * Before a measured window: samples both cores for `sampleMs` (our processes are idle then) and
 * waits, at most `maxWaitMs` (and within the run's budget), until other processes leave them
 * within the limits. Returns the milliseconds waited.
 */
export async function waitForQuiet(ourPids, limits, maxWaitMs, budget, sampleMs = 500) {
  const t0 = performance.now();
  for (;;) {
    const meter = startMeter(ourPids);
    await new Promise((resolve) => setTimeout(resolve, sampleMs));
    const cpu = meter.stop();
    const waited = performance.now() - t0;
    const outOfBudget = budget && budget.spentMs + waited >= budget.totalMs;
    if (disturbance(cpu, limits) <= 1 || waited >= maxWaitMs || outOfBudget) {
      // The first sample is part of every measurement; only the waiting beyond it is charged.
      if (budget) budget.spentMs += Math.max(0, waited - sampleMs);
      return waited;
    }
  }
}
