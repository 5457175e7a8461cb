import { ChildProcess, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CHILD_ADMIN_TOKEN, CHILD_SECRET } from './child-tokens';

export const MAIN = join(__dirname, '../../../dist/main.js');
export const DEBUG_HOOK = join(__dirname, 'debug-hook.js');

export interface Dump {
  memory: NodeJS.MemoryUsage;
  resources: Record<string, number>;
  /** Timers set and not yet fired or cleared, unref'd ones included. */
  timers: number;
}

export interface ChildServer {
  child: ChildProcess;
  port: number;
  wsUrl: string;
  httpUrl: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Memory after GC and active resources, from the debug hook (SIGWINCH). */
  dump(): Promise<Dump>;
  /** Blocks the server's event loop for DEBUG_STALL_MS (SIGURG); resolves when it is over. */
  stall(): Promise<void>;
  /** GET /admin/stats. */
  stats(): Promise<{ connections: number; rooms: number; users: number; heartbeatTerminations: number }>;
}

export interface ChildOptions {
  /** Run inside this network namespace (`ip netns exec`). */
  netns?: string;
  /** Open-file limit of the server (`prlimit --nofile`). */
  nofile?: number;
  /** Keep only the output lines this accepts in output() (a chatty LOG_LEVEL over a long run). */
  keepLine?: (line: string) => boolean;
}

const running = new Set<ChildProcess>();

/** SIGKILLs whatever a test left running. */
export function killChildServersAfterEach(): void {
  afterEach(() => {
    for (const child of running) child.kill('SIGKILL');
    running.clear();
  });
}

/** A port free on this host now (the server then binds it; a clash would fail the start loudly). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `node --expose-gc --require debug-hook.js dist/main.js` on a free port. */
export async function startChildServer(env: Record<string, string> = {}, options: ChildOptions = {}): Promise<ChildServer> {
  let argv = [process.execPath, '--expose-gc', '--require', DEBUG_HOOK, MAIN];
  if (options.nofile) argv = ['prlimit', `--nofile=${options.nofile}:${options.nofile}`, '--', ...argv];
  if (options.netns) argv = ['ip', 'netns', 'exec', options.netns, ...argv];
  const port = await freePort();
  const child = spawn(argv[0], argv.slice(1), {
    env: { PATH: process.env.PATH, NODE_ENV: 'test', PORT: String(port), LOG_LEVEL: 'warn', JWT_SECRET: CHILD_SECRET, ADMIN_TOKEN: CHILD_ADMIN_TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let partial = '';
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  const keepLine = options.keepLine;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (!keepLine) out += chunk;
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (keepLine?.(line)) out += `${line}\n`;
      const i = waiters.findIndex((w) => line.startsWith(w.prefix));
      if (i >= 0) waiters.splice(i, 1)[0].resolve(line);
    }
  });
  child.stderr!.on('data', (chunk) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => (running.delete(child), resolve({ code, signal }))),
  );
  const nextLine = (prefix: string, timeoutMs = 15000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${prefix}" line within ${timeoutMs} ms:\n${out.slice(-2000)}`)), timeoutMs);
      void exited.then(() => reject(new Error(`server exited:\n${out.slice(-2000)}`)));
      waiters.push({ prefix, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  await nextLine('DEBUG_READY', 20000);
  const httpUrl = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    httpUrl,
    output: () => out,
    exited,
    dump: async () => {
      const line = nextLine('DEBUG_DUMP ');
      child.kill('SIGWINCH');
      return JSON.parse((await line).slice('DEBUG_DUMP '.length)) as Dump;
    },
    stall: async () => {
      const line = nextLine('DEBUG_STALLED');
      child.kill('SIGURG');
      await line;
    },
    stats: async () => normalizeStats(await (await fetch(`${httpUrl}/admin/stats`, { headers: { authorization: `Bearer ${CHILD_ADMIN_TOKEN}` } })).json()),
  };
}

interface NodeStats {
  connections: number;
  rooms: number;
  users: number;
  heartbeatTerminations?: number;
}

/** GET /admin/stats is being reshaped elsewhere ({...} then {total, nodes}); both read the same here. */
function normalizeStats(body: NodeStats & { total?: NodeStats; nodes?: NodeStats[] }) {
  const total = body.total ?? body;
  const heartbeatTerminations = body.heartbeatTerminations ?? (body.nodes ?? []).reduce((sum, n) => sum + (n.heartbeatTerminations ?? 0), 0);
  return { connections: total.connections, rooms: total.rooms, users: total.users, heartbeatTerminations };
}
