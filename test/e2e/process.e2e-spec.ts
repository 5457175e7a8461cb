import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { killServerProcessesAfterEach, MAIN, runScript, startServerProcess } from '../support/server-process';
import { TEST_SECRET } from '../support/test-app';
import { mintToken } from '../support/tokens';
import { connect, tryUpgrade } from '../support/ws-client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the production process (node dist/main.js)', () => {
  killServerProcessesAfterEach();

  it('closes every socket with 1001 on SIGTERM, refuses upgrades while draining, and exits in time', async () => {
    const server = await startServerProcess({ SHUTDOWN_TIMEOUT_MS: '5000' });
    const clients = await Promise.all(Array.from({ length: 20 }, async (_, i) => connect(server.wsUrl, { token: await mintToken({ sub: `u${i}` }) })));
    // One peer that stops reading keeps the drain open long enough to probe it.
    const stuck = await connect(server.wsUrl, { token: await mintToken({ sub: 'stuck' }) });
    stuck.socket.pause();
    const started = Date.now();
    server.child.kill('SIGTERM');
    const codes = await Promise.all(clients.map((c) => c.closed.then((r) => r.code)));
    expect(new Set(codes)).toEqual(new Set([1001]));
    expect(await tryUpgrade(server.wsUrl, { authorization: `Bearer ${await mintToken()}` })).toEqual({ status: 503, body: 'server is shutting down' });
    await server.exited;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.output()).not.toContain('Error');
  }, 20000);

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ HEARTBEAT_INTERVAL_MS: '-5' }, 'HEARTBEAT_INTERVAL_MS'],
    [{ NODE_ENV: 'production', JWT_SECRET: '' }, 'JWT_SECRET'],
  ])('stops with a one-line message naming the variable for %j', async (env, variable) => {
    const { code, stdout, stderr } = await runScript(MAIN, [], { NODE_ENV: 'test', JWT_SECRET: TEST_SECRET, ...env });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(variable);
  });

  it('prints a working dev token when no key is configured in development', async () => {
    const server = await startServerProcess({ JWT_SECRET: '', NODE_ENV: 'development' });
    const token = /Dev token[^\n]*\n\s+(\S+)/.exec(server.output())?.[1] ?? (await sleep(500), /Dev token[^\n]*\n\s+(\S+)/.exec(server.output())?.[1]);
    expect(token).toBeDefined();
    // PORT=0: the connect line names the port actually listened on.
    expect(server.output()).toContain(`npx wscat -c 'ws://localhost:${server.port}/ws?token=${token}'`);
    const client = await connect(`${server.wsUrl}?token=${token}`);
    expect((await client.request('room.join', { room: 'public:lobby' })).type).toBe('ack');
    await client.close();
    server.child.kill('SIGTERM');
    await server.exited;
  }, 20000);

  it('mints tokens with `npm run token` (dist/cli/mint-token.js) that the configured key verifies, JWT_PRIVATE_KEY alone included', async () => {
    const cli = join(__dirname, '../../dist/cli/mint-token.js');
    const { code, stdout } = await runScript(cli, ['--sub', 'alice', '--rooms', 'public:*,private:team-*'], { JWT_SECRET: TEST_SECRET });
    expect(code).toBe(0);
    const { payload } = await jwtVerify(stdout.trim(), new TextEncoder().encode(TEST_SECRET), { algorithms: ['HS256'] });
    expect(payload).toMatchObject({ sub: 'alice', rooms: ['public:*', 'private:team-*'] });
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const privateOnly = await runScript(cli, ['--sub', 'alice'], { JWT_PRIVATE_KEY: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    expect(privateOnly.code).toBe(0);
    expect((await jwtVerify(privateOnly.stdout.trim(), pair.publicKey, { algorithms: ['ES256'] })).payload.sub).toBe('alice');
    const refused = await runScript(cli, ['--sub', 'alice'], {});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('JWT_SECRET');
  });
});
