// Starts and stops the two servers under test, pinned to one core, with the memory hook preloaded:
//   product:  node --expose-gc --require bench/gc-hook.cjs <productDir>/dist/main.js
//   baseline: node --expose-gc --require bench/gc-hook.cjs bench/baseline-server.mjs
// Each server's stdout/stderr goes to a log file (no pipe for the generator to drain); the port is
// read from its "listening" JSON line.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processCpuSeconds } from './proc.mjs';
import { sleep } from './stats.mjs';

const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const GC_HOOK = path.join(BENCH_DIR, 'gc-hook.cjs');
export const BASELINE = path.join(BENCH_DIR, 'baseline-server.mjs');

export const BENCH_SECRET = 'bench-secret-0123456789abcdef-0123456789abcdef';
export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';

/** Joins and leaves are announced while a room has at most this many members (both servers; the product's default). */
export const PRESENCE_MAX_MEMBERS = 1000;

/** The product's environment in the benchmark (besides PORT and the memory hook's file). */
export function productEnv(logLevel) {
  return {
    NODE_ENV: 'production',
    JWT_SECRET: BENCH_SECRET,
    ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    LOG_LEVEL: logLevel,
    // The scenarios publish far above the per-connection default of 50/s from one connection.
    RATE_LIMIT_PER_SEC: '1000000',
    RATE_LIMIT_BURST: '1000000',
    RATE_LIMIT_USER_PER_SEC: '1000000',
    RATE_LIMIT_USER_BURST: '1000000',
    MAX_CONNECTIONS_PER_USER: '100000',
    // Every generated client comes from 127.0.0.1: the per-address limit (default 1000) would refuse them.
    MAX_CONNECTIONS_PER_IP: '100000',
    PRESENCE_EVENTS_MAX_MEMBERS: String(PRESENCE_MAX_MEMBERS),
  };
}

/** The file limit asked for: the conn100k scenario's 100,000 connections plus a server's own descriptors. */
export const NOFILE = 131072;

let wrapper;
/**
 * `prlimit --nofile` and `taskset -c CORE` in front of node. Raising the hard limit to NOFILE needs
 * CAP_SYS_RESOURCE; without it the soft limit is raised to the hard one (what Node also does at
 * start), and the scenarios that need more descriptors size themselves to it (conn100k).
 */
function launcher(core) {
  if (wrapper === undefined) {
    const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
    const canRaise = has('prlimit') && spawnSync('prlimit', [`--nofile=${NOFILE}:${NOFILE}`, 'true']).status === 0;
    const hard = Number(spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim()) || null;
    wrapper = { taskset: has('taskset'), prlimit: canRaise, softToHard: !canRaise && has('prlimit') && hard !== null, hard };
  }
  const prefix = [];
  if (wrapper.prlimit) prefix.push('prlimit', `--nofile=${NOFILE}:${NOFILE}`);
  else if (wrapper.softToHard) prefix.push('prlimit', `--nofile=${wrapper.hard}:${wrapper.hard}`);
  if (wrapper.taskset && core !== null) prefix.push('taskset', '-c', String(core));
  return prefix;
}

export function pinningAvailable() {
  launcher(0);
  return wrapper;
}

/** The file limit a child will get: the raised one, or this process's hard limit. */
export function fileLimit() {
  launcher(0);
  return wrapper.prlimit ? NOFILE : wrapper.hard;
}

export class Server {
  constructor(kind, child, port, logFile, memFile, cmdFile, isProduct = kind === 'product') {
    this.kind = kind;
    /** Runs the product's dist/main.js (the product, or with --baseline-dir another product build). */
    this.isProduct = isProduct;
    this.child = child;
    this.pid = child.pid;
    this.port = port;
    this.logFile = logFile;
    this.memFile = memFile;
    this.cmdFile = cmdFile;
    this.memSeq = 0;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /**
   * Starts a server and waits for its "port" line.
   * @param kind 'product' | 'baseline'
   */
  static async start(kind, { productDir, baselineDir = null, outDir, label, logLevel = 'info', core = 0, envByKind = {}, extraEnv: scenarioEnv = {} }) {
    // --baseline-dir: the baseline slot runs another product build, started exactly like the product.
    const isProduct = kind === 'product' || Boolean(baselineDir);
    const dir = kind === 'product' ? productDir : baselineDir;
    const extraEnv = { ...envByKind[kind], ...scenarioEnv };
    const logFile = path.join(outDir, 'logs', `${label}.log`);
    const memFile = path.join(outDir, 'logs', `${label}.reply.json`);
    const cmdFile = path.join(outDir, 'logs', `${label}.cmd`);
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    fs.rmSync(memFile, { force: true });
    // BENCH_SERVER_NODE_ARGS: extra node flags for both servers, for diagnosis (e.g. --trace-gc).
    const nodeArgs = ['--expose-gc', '--require', GC_HOOK, ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)];
    const script = isProduct ? path.join(dir, 'dist', 'main.js') : BASELINE;
    const base = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', BENCH_MEM_FILE: memFile, BENCH_CMD_FILE: cmdFile };
    const env =
      isProduct
        ? { ...base, ...productEnv(logLevel), ...extraEnv }
        : { ...base, JWT_SECRET: BENCH_SECRET, RATE_LIMIT_PER_SEC: '1000000', RATE_LIMIT_BURST: '1000000', RATE_LIMIT_USER_PER_SEC: '1000000', RATE_LIMIT_USER_BURST: '1000000', MAX_CONNECTIONS_PER_USER: '100000', PRESENCE_EVENTS_MAX_MEMBERS: String(PRESENCE_MAX_MEMBERS), ...extraEnv };
    const fd = fs.openSync(logFile, 'w');
    const argv = [...launcher(core), process.execPath, ...nodeArgs, script];
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', fd, fd], cwd: isProduct ? dir : BENCH_DIR });
    fs.closeSync(fd);
    let exited = null;
    child.once('exit', (code, signal) => (exited = { code, signal }));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const text = fs.readFileSync(logFile, 'utf8');
      const m = /"port":(\d+)/.exec(text);
      if (m) return new Server(kind, child, Number(m[1]), logFile, memFile, cmdFile, isProduct);
      if (exited || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${kind} did not start (${JSON.stringify(exited)}):\n${text.slice(-2000)}`);
      }
      await sleep(50);
    }
  }

  /** Changes the CPU affinity of all the server's threads (`taskset -a -p`); false if unavailable. */
  setAffinity(cores) {
    if (!pinningAvailable().taskset) return false;
    return spawnSync('taskset', ['-a', '-p', '-c', cores, String(this.pid)], { stdio: 'ignore' }).status === 0;
  }

  cpuSeconds() {
    return processCpuSeconds(this.pid);
  }

  /** Full GC in the server, then its process.memoryUsage() (bytes). */
  memory() {
    return this.command('mem');
  }

  /** Starts the in-process CPU profiler (bench/gc-hook.cjs). */
  profileStart() {
    return this.command('profile-start');
  }

  /** Stops the profiler and writes the .cpuprofile to `file`. */
  profileStop(file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return this.command(`profile-stop ${file}`);
  }

  /** Sends a command to the preloaded hook and waits for its answer. */
  async command(cmd) {
    fs.writeFileSync(this.cmdFile, cmd);
    const want = this.memSeq + 1;
    process.kill(this.pid, 'SIGWINCH');
    const deadline = Date.now() + 20_000;
    for (;;) {
      let m = null;
      try {
        m = JSON.parse(fs.readFileSync(this.memFile, 'utf8'));
      } catch {
        // not written yet
      }
      if (m && m.seq >= want) {
        this.memSeq = m.seq;
        if (m.error) throw new Error(`${this.kind}: ${cmd}: ${m.error}`);
        return m;
      }
      if (Date.now() > deadline) throw new Error(`${this.kind}: no answer to ${cmd} (is bench/gc-hook.cjs preloaded?)`);
      await sleep(25);
    }
  }

  /** {connections, heartbeatTerminations, ...}: the admin API for the product (this node's figures and the cluster's totals), /stats for the baseline. */
  stats() {
    const headers = this.isProduct ? { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` } : {};
    const pathName = this.isProduct ? '/admin/stats' : '/stats';
    return new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: this.port, path: pathName, headers, timeout: 10_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          try {
            const parsed = JSON.parse(body);
            // The product's /admin/stats is cluster-wide since the scale-out: { total, nodes: [this node] }.
            resolve(parsed.total && Array.isArray(parsed.nodes) ? { ...parsed.nodes[0], ...parsed.total } : parsed);
          } catch (err) {
            reject(new Error(`${this.kind} stats: ${res.statusCode} ${body.slice(0, 200)}`));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error('stats timeout')));
      req.on('error', reject);
    });
  }

  /** Waits until the server counts `n` connections (closes are processed asynchronously). */
  async waitConnections(n, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
      last = await this.stats();
      if (last.connections === n) return last;
      await sleep(100);
    }
    throw new Error(`${this.kind}: expected ${n} connections, server has ${last?.connections}`);
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

/**
 * A redis-server for the cluster scenario: loopback, a free port, no persistence, pinned to the
 * servers' core like the product nodes. Its output goes to logs/<label>.log. `args`: extra flags
 * (a Cluster primary's, bench/lib/redis-cluster.mjs).
 */
export async function startRedis({ outDir, label, core = 0, args = [] }) {
  const port = await new Promise((resolve, reject) => {
    const probe = http.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: p } = probe.address();
      probe.close(() => resolve(p));
    });
  });
  const logFile = path.join(outDir, 'logs', `${label}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'w');
  const argv = [...launcher(core), 'redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', path.dirname(logFile), ...args];
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  let exited = null;
  const exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exited = { code, signal }))));
  child.once('error', () => (exited = { code: null, signal: null, error: true }));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = fs.readFileSync(logFile, 'utf8');
    if (text.includes('Ready to accept connections')) break;
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start (${JSON.stringify(exited)}; is it installed?):\n${text.slice(-1000)}`);
    }
    await sleep(50);
  }
  return {
    pid: child.pid,
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
