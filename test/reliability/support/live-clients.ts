import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface LiveReport {
  open: number;
  /** Close codes of live clients closed before `close()`. */
  closes: number[];
  /** Those of them (1006) whose pong was late by the harness's own fault (see live-clients.js). */
  lateCloses: number;
  published: number;
  /** Acked publishes some member of the room never received. */
  missing: number;
  /** Room messages received twice. */
  duplicates: number;
}

const running = new Set<ReturnType<typeof spawn>>();

/** SIGKILLs the live-client processes a failed test left behind. */
export function killLiveClientsAfterEach(): void {
  afterEach(() => {
    for (const child of running) child.kill('SIGKILL');
    running.clear();
  });
}

/** Starts live-clients.js (see there) and resolves once every client has joined its room. */
export async function startLiveClients(url: string, token: string, count: number, rooms: number, heartbeatTimeoutMs: number) {
  const child = spawn(process.execPath, [join(__dirname, 'live-clients.js'), url, token, String(count), String(rooms), String(heartbeatTimeoutMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const line = async (prefix: string, timeoutMs = 120_000) => {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      const found = out.split('\n').find((l) => l.startsWith(prefix));
      if (found) return (out = out.replace(`${found}\n`, '')), found;
    }
    throw new Error(`live clients: no ${prefix} within ${timeoutMs} ms`);
  };
  await line('READY');
  const send = (command: string) => child.stdin.write(`${command}\n`);
  return {
    send,
    report: async (): Promise<LiveReport> => (send('report'), JSON.parse((await line('REPORT ')).slice('REPORT '.length))),
    closes: async (): Promise<{ total: number; late: number; onTime: object[] }> => (send('closes'), JSON.parse((await line('CLOSES ')).slice('CLOSES '.length))),
    close: async () => (send('close'), await line('CLOSED')),
  };
}
