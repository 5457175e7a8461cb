import { ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WebSocket } from 'ws';
import { RealtimeClient, RealtimeError, type DirectMessageData } from '../../sdk/src';
import { mintToken } from '../support/tokens';
import { waitFor, waitForAsync } from '../support/wait-for';

const ROOT = join(__dirname, '../..');
const EXAMPLE = join(ROOT, 'examples/host-app');
const SECRET = 'host-app-secret-that-is-at-least-32-characters';
/** npm install of the example (the registry and the packed tarball) takes one to two minutes. */
const SETUP_TIMEOUT_MS = 5 * 60_000;

const run = promisify(execFile);

/**
 * The environment for npm: jest runs under `npm test` or npx, which export the running script's
 * variables (npm_package_*, npm_lifecycle_*...) and this repository as the prefix; those are
 * dropped. The user's npm settings (npm_config_registry, _cache, _userconfig...) are kept.
 */
const INHERITED_NPM_CONFIG = /^npm_config_(local_prefix|prefix|global_prefix|call)$/i;
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) || (/^npm_config_/i.test(name) && !INHERITED_NPM_CONFIG.test(name))));
}

async function npm(args: string[], cwd: string, timeout: number): Promise<string> {
  try {
    const { stdout } = await run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env: npmEnv(), timeout, maxBuffer: 64 << 20 });
    return stdout;
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/**
 * The example of examples/host-app, installed the way a user installs the library: `npm pack` of
 * this repository, then `npm install` of that tarball and the example's registry dependencies in a
 * fresh directory (no link into this repository), built with its own tsc and run as a process.
 */
describe('examples/host-app: realtime-gateway installed from its tarball into a Nest application', () => {
  let work: string;
  let child: ChildProcess | undefined;
  let output = '';
  let port: number;
  let baseUrl: string;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('dist/index.js is missing: run npm run build first');
    work = mkdtempSync(join(tmpdir(), 'host-app-'));
    const packDir = join(work, 'pack');
    mkdirSync(packDir);
    const [packed] = JSON.parse(await npm(['pack', '--json', '--pack-destination', packDir], ROOT, 120_000)) as { filename: string }[];
    const tarball = join(packDir, packed.filename);

    const app = join(work, 'app');
    cpSync(EXAMPLE, app, { recursive: true, filter: (src) => !/[\\/](node_modules|dist)$/.test(src) });
    await npm(['install', '--prefer-offline', tarball], app, SETUP_TIMEOUT_MS - 60_000);
    await npm(['run', 'build'], app, 60_000);

    child = spawn(process.execPath, [join(app, 'dist/main.js')], {
      cwd: app,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', JWT_SECRET: SECRET, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`host-app did not start within 30 s:\n${output}`)), 30_000);
      child!.once('exit', (code) => reject(new Error(`host-app exited (${code}):\n${output}`)));
      child!.stdout!.on('data', () => {
        const line = output.split('\n').find((l) => l.includes('"host-app.listening"'));
        if (!line) return;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      });
    });
    baseUrl = `http://127.0.0.1:${port}`;
  }, SETUP_TIMEOUT_MS);

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (work && !process.env.KEEP_HOST_APP) rmSync(work, { recursive: true, force: true });
  }, 20_000);

  /** A connected SDK client for `sub` (no `rooms` claim: the example's room authorizer decides). */
  const connect = async (sub: string, claims: Record<string, unknown> = {}) => {
    const token = await mintToken({ sub, ...claims }, SECRET);
    const client = new RealtimeClient({ url: `ws://127.0.0.1:${port}/ws`, token, WebSocket });
    clients.push(client);
    await client.connect();
    return client;
  };

  const rejection = async (promise: Promise<unknown>): Promise<RealtimeError> => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RealtimeError);
    return err as RealtimeError;
  };

  it('installed the tarball, not this repository: the package holds dist/index.js and its declarations', () => {
    const installed = join(work, 'app/node_modules/realtime-gateway');
    expect(existsSync(join(installed, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist/index.d.ts'))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(work, 'app/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['realtime-gateway']).toMatch(/^file:.*\.tgz$/);
  });

  it("acks the host's chat.send with what its @SubscribeMessage method returned, a custom claim of the token included", async () => {
    const alice = await connect('alice', { tenant: 'acme' });
    await expect(alice.request('chat.send', { text: 'hello' })).resolves.toEqual({ tenant: 'acme', userId: 'alice', echoed: 'hello' });
  });

  it("answers a chat.send that fails the host's DTO with VALIDATION_FAILED and the field's details", async () => {
    const alice = await connect('alice', { tenant: 'acme' });
    const err = await rejection(alice.request('chat.send', { text: 42 }));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'text' })]));
  });

  it('delivers a direct message from system when a REST call of the host calls RealtimeService.sendToUser', async () => {
    const alice = await connect('alice');
    const received: DirectMessageData[] = [];
    alice.on('direct', (message) => received.push(message));
    const response = await fetch(`${baseUrl}/orders/42/ship`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ order: { id: '42', userId: 'alice', status: 'shipped' } });
    await waitFor(() => received.length > 0, 5000);
    expect(received).toEqual([expect.objectContaining({ from: 'system', body: { orderId: '42', status: 'shipped' } })]);
  });

  it("refuses a non-member's join of conversation:1 with FORBIDDEN and admits a member (the host's room authorizer)", async () => {
    const [mallory, bob] = await Promise.all([connect('mallory'), connect('bob')]);
    const err = await rejection(mallory.join('conversation:1', () => undefined));
    expect(err.code).toBe('FORBIDDEN');
    await expect(bob.join('conversation:1', () => undefined)).resolves.toMatchObject({ room: 'conversation:1' });
    expect(bob.joinedRooms).toContain('conversation:1');
  });

  it("updates the host's last-seen (a LifecycleEventsService listener) when a user's connection closes", async () => {
    const lastSeen = async () => (await (await fetch(`${baseUrl}/users/carol/last-seen`)).json()) as { openSessions: number; lastSeen: string | null };
    expect(await lastSeen()).toEqual({ userId: 'carol', openSessions: 0, lastSeen: null });
    const carol = await connect('carol');
    await waitForAsync(async () => (await lastSeen()).openSessions === 1, 5000);
    const before = Date.now();
    carol.close();
    await waitForAsync(async () => (await lastSeen()).lastSeen !== null, 5000);
    const seen = await lastSeen();
    expect(seen.openSessions).toBe(0);
    expect(Date.parse(seen.lastSeen!)).toBeGreaterThanOrEqual(before - 1000);
  });
});
