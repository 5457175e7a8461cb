import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Nginx {
  port: number;
  accessLog: () => string;
  errorLog: () => string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs the repo's deploy/nginx.conf, with only the ports, upstreams and log paths rewritten. */
export async function startNginx(upstreamPorts: number[]): Promise<Nginx> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rg-nginx-'));
  const accessLog = join(dir, 'access.log');
  const errorLog = join(dir, 'error.log');
  const original = readFileSync(join(__dirname, '../../deploy/nginx.conf'), 'utf8');
  const servers = upstreamPorts.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n    ');
  const conf = original
    .replace(/listen 8080;/, `listen 127.0.0.1:${port};`)
    .replace(/server app1:3000[^\n]*\n\s*server app2:3000[^\n]*/, servers)
    .replace('access_log /dev/stdout gateway;', `access_log ${accessLog} gateway;`)
    .replace('worker_processes auto;', 'worker_processes 1;');
  if (conf === original || !conf.includes(`127.0.0.1:${upstreamPorts[0]}`)) throw new Error('deploy/nginx.conf no longer has the expected shape');
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child: ChildProcess = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', errorLog, '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/health/live`).then(() => true, () => false);
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    accessLog: () => readFileSync(accessLog, 'utf8'),
    errorLog: () => readFileSync(errorLog, 'utf8'),
    stop: async () => {
      child.kill('SIGTERM'); // fast shutdown: a graceful one would wait for the proxied WebSockets
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
