import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../support/wait-for';
import { connect } from '../support/ws-client';

const root = join(__dirname, '../..');
/** A whole dev-token block: the token line is complete once the line after it has arrived. */
const DEV_TOKEN = /Dev token[^\n]*\n\s+(\S+)\n[^\n]*Try it/g;
const LISTENING = /listening on port (\d+)/g;

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
    socket.once('connect', () => socket.destroy());
  });

/**
 * `npm run start:dev` in a copy of the project (src and the build configs, node_modules linked),
 * so the edit that triggers the reload never touches the working tree. A full tsc compile takes
 * ~20 s on an idle 2-core machine and a restart ~4 s; the bounds leave room for a loaded one.
 */
describe('npm run start:dev (nest start --watch)', () => {
  let dir: string;
  let child: ChildProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rg-watch-'));
    for (const entry of ['src', 'package.json', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json']) {
      cpSync(join(root, entry), join(dir, entry), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  });

  afterEach(() => {
    // npm, the Nest CLI (with its tsc watcher) and the app share the process group started below.
    if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds and restarts the app when a source file changes, printing a new dev token', async () => {
    child = spawn('npm', ['run', 'start:dev'], {
      cwd: dir,
      detached: true,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (chunk) => (out += chunk));
    child.stderr!.on('data', (chunk) => (out += chunk));
    const tokens = () => [...out.matchAll(DEV_TOKEN)].map((m) => m[1]);
    const ports = () => [...out.matchAll(LISTENING)].map((m) => Number(m[1]));
    const started = (runs: number, timeoutMs: number) =>
      waitFor(() => tokens().length >= runs && ports().length >= runs, timeoutMs, 200).catch(() => {
        throw new Error(`expected ${runs} start(s) within ${timeoutMs} ms; output:\n${out}`);
      });

    await started(1, 90_000);
    appendFileSync(join(dir, 'src/app.module.ts'), '\n// edited by the watch test\n');
    await started(2, 60_000);

    const [firstToken, secondToken] = tokens();
    const [firstPort, secondPort] = ports();
    // A new process: a new ephemeral secret, hence a new token, and the old one no longer listens.
    expect(secondToken).not.toBe(firstToken);
    expect(await accepts(firstPort)).toBe(false);
    const client = await connect(`ws://127.0.0.1:${secondPort}/ws?token=${secondToken}`);
    expect((await client.request('room.join', { room: 'public:lobby' })).type).toBe('ack');
    await client.close();
  }, 180_000);
});
