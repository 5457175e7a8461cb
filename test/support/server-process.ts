import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { TEST_ADMIN_TOKEN, TEST_SECRET } from './test-app';

export const MAIN = join(__dirname, '../../dist/main.js');

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  wsUrl: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A cluster test's node: dies fast (NODE_TTL_MS), and no limit gets in the way of a load. */
export const CLUSTER_NODE_ENV = {
  NODE_TTL_MS: '1500',
  RATE_LIMIT_PER_SEC: '100000',
  RATE_LIMIT_BURST: '100000',
  RATE_LIMIT_USER_PER_SEC: '1000000',
  RATE_LIMIT_USER_BURST: '1000000',
  MAX_CONNECTIONS_PER_USER: '1000',
  HISTORY_SIZE: '20000',
} as const;

const running = new Set<ChildProcess>();

/** Kills what a test left running, so a failed test never leaves a server behind. */
export function killServerProcessesAfterEach(): void {
  afterEach(() => {
    for (const child of running) child.kill('SIGKILL');
    running.clear();
  });
}

/** Runs the production build (`node dist/main.js`, or `main`) as its own process on an ephemeral port. */
export async function startServerProcess(env: Record<string, string> = {}, main = MAIN): Promise<ServerProcess> {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH, NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', JWT_SECRET: TEST_SECRET, ADMIN_TOKEN: TEST_ADMIN_TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 15000);
    const onData = () => {
      // The message, not a JSON field: the same in JSON and in pretty logs.
      const match = /listening on port (\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(Number(match[1]));
    };
    child.stdout!.on('data', onData);
    void exited.then(() => reject(new Error(`server exited:\n${out}`)));
  });
  return { child, port, wsUrl: `ws://127.0.0.1:${port}/ws`, output: () => out, exited };
}

/** Runs a built script to completion and returns its exit code and output. */
export function runScript(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
