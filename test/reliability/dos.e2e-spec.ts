import { spawn } from 'node:child_process';
import { connect as tcpConnect, Socket } from 'node:net';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { waitFor } from '../support/wait-for';
import { connect, TestClient } from '../support/ws-client';
import { childToken } from './support/child-tokens';
import { ChildServer, killChildServersAfterEach, startChildServer } from './support/child-server';
import { percentiles, pingLatencies } from './support/latency';

/** Denial of service: the server runs as its own process, attackers and healthy clients in this one. */
killChildServersAfterEach();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stdout.write(`${line}\n`);

async function handshakeTimes(server: ChildServer, count: number): Promise<number[]> {
  const token = await childToken('healthy');
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const client = await connect(server.wsUrl, { token });
    times.push(performance.now() - started);
    client.socket.terminate();
  }
  return times;
}

/** Opens a socket and sends an upgrade request's first header lines, then one more every second. */
function slowloris(port: number): Socket {
  const socket = tcpConnect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n`);
  const drip = setInterval(() => (socket.writable ? socket.write('X-Drip: 1\r\n') : clearInterval(drip)), 1000);
  socket.once('close', () => clearInterval(drip));
  return socket;
}

it('500 slowloris upgrades: healthy handshakes stay fast, every slow one is cut within 15 s', async () => {
  const server = await startChildServer({ MAX_CONNECTIONS_PER_USER: '10000' });
  const before = percentiles(await handshakeTimes(server, 100));
  const attackers = Array.from({ length: 500 }, () => slowloris(server.port));
  const started = Date.now();
  await sleep(500);
  const during = percentiles(await handshakeTimes(server, 100));
  log(`handshake ms before: ${JSON.stringify(before)} during 500 slowloris: ${JSON.stringify(during)}`);
  // Loose on purpose (shared, noisy cores): a server the slow requests really held up would make
  // healthy handshakes wait for the 5 s header deadline, not a few hundred ms.
  expect(during.p99).toBeLessThan(Math.max(3 * before.p99, before.p99 + 250));
  await waitFor(() => attackers.every((s) => s.destroyed), 8000, 100);
  log(`all 500 slowloris sockets closed after ${Date.now() - started} ms`);
  // Documented: 408 after 5-6 s (5 s header deadline, checked every second); 500 of them take a moment
  // more, and seconds more when the host steals the vCPUs (8.4 s seen in CI). Node's own default
  // would keep them 60 s (headersTimeout): 15 s still tells the deadline from no deadline.
  expect(Date.now() - started).toBeLessThan(15000);
  expect(server.child.exitCode).toBeNull();
}, 30000);

it('MAX_CONNECTIONS_PER_IP: 60 concurrent handshakes from one address, exactly 20 open, then 429', async () => {
  const server = await startChildServer({ MAX_CONNECTIONS_PER_IP: '20', MAX_CONNECTIONS_PER_USER: '1000' });
  const token = await childToken('crowd');
  const outcomes = await Promise.all(
    Array.from({ length: 60 }, () => new Promise<WebSocket | number>((resolve) => {
      const socket = new WebSocket(server.wsUrl, { headers: { authorization: `Bearer ${token}` } });
      socket.once('open', () => resolve(socket));
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    })),
  );
  const opened = outcomes.filter((o): o is WebSocket => o instanceof WebSocket);
  expect(opened).toHaveLength(20);
  expect(new Set(outcomes.filter((o) => typeof o === 'number'))).toEqual(new Set([429]));
  // Closing one frees its slot: the count follows the TCP socket, whatever closes it.
  opened[0].terminate();
  await waitFor(() => opened[0].readyState === WebSocket.CLOSED);
  await sleep(100);
  const again = await connect(server.wsUrl, { token });
  expect(again.frames[0].type).toBe('welcome');
  for (const s of opened) s.terminate();
  again.socket.terminate();
}, 20000);

it('runs out of file descriptors without crashing, and serves again once they are back', async () => {
  const server = await startChildServer({ MAX_CONNECTIONS_PER_USER: '10000' }, { nofile: 128 });
  const token = await childToken('fd');
  const sockets: Socket[] = [];
  for (let i = 0; i < 300; i++) {
    const socket = tcpConnect(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    sockets.push(socket);
  }
  await sleep(1500);
  expect(server.child.exitCode).toBeNull();
  for (const s of sockets) s.destroy();
  await sleep(1500);
  const client = await connect(server.wsUrl, { token });
  expect((await client.request('ping')).type).toBe('pong');
  client.socket.terminate();
  expect(server.output()).not.toMatch(/uncaught|EMFILE.*crash/i);
  expect(server.child.exitCode).toBeNull();
}, 20000);

/** 50 clients ping back to back (3 s quiet, then 3 s with one flooder in its own process). */
async function latencyUnderFlood(mode: 'ping' | 'bad-json') {
  const server = await startChildServer({ MAX_CONNECTIONS_PER_USER: '10000' });
  const clients: TestClient[] = await Promise.all(Array.from({ length: 50 }, async (_, i) => connect(server.wsUrl, { token: await childToken(`c${i}`) })));
  const quiet = percentiles(await pingLatencies(clients, 3000));
  const flooder = spawn(process.execPath, [join(__dirname, 'support/flooder.js'), server.wsUrl, await childToken('flooder'), mode, '3500']);
  let report = '';
  flooder.stdout.on('data', (c) => (report += c));
  await sleep(300);
  const loud = percentiles(await pingLatencies(clients, 3000));
  await new Promise((resolve) => flooder.once('exit', resolve));
  log(`ping latency ms, 50 clients: quiet ${JSON.stringify(quiet)}; ${mode} flooder ${JSON.stringify(loud)}; flooder: ${report.trim()}`);
  const open = clients.filter((c) => c.socket.readyState === WebSocket.OPEN).length;
  for (const c of clients) c.socket.terminate();
  return { quiet, loud, open, flooderClosed: /closed (\S+)/.exec(report)?.[1] };
}

it('one flooder of valid frames among 50 clients: rate-limited, closed 4009, the others keep their latency', async () => {
  const { quiet, loud, open, flooderClosed } = await latencyUnderFlood('ping');
  expect(flooderClosed).toBe('4009');
  expect(open).toBe(50);
  // Loose on purpose: shared, noisy cores; a flooder that really hurt would cost seconds (see F2).
  expect(loud.p99).toBeLessThan(Math.max(3 * quiet.p99, quiet.p99 + 250));
}, 30000);

// Finding F2 (docs/reliability.md), fixed: unparsable frames used to take no rate-limit token, and one
// client flooding `{"type":` while reading its errors made every other client's ping wait > 3 s.
it('F2: one flooder of unparsable frames among 50 clients: rate-limited, closed 4009, the others keep their latency', async () => {
  const { quiet, loud, open, flooderClosed } = await latencyUnderFlood('bad-json');
  expect(flooderClosed).toBe('4009');
  expect(open).toBe(50);
  // Loose on purpose: shared, noisy cores; a flooder that really hurt would cost seconds (see F2).
  expect(loud.p99).toBeLessThan(Math.max(3 * quiet.p99, quiet.p99 + 250));
}, 30000);

it('slow consumers under a 16 KB broadcast are cut off (4008), memory stays bounded, the room is unaffected', async () => {
  const server = await startChildServer({ MAX_CONNECTIONS_PER_USER: '10000', RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000', RATE_LIMIT_USER_PER_SEC: '1000000', RATE_LIMIT_USER_BURST: '1000000' });
  const join = async (sub: string) => {
    const c = await connect(server.wsUrl, { token: await childToken(sub) });
    await c.request('room.join', { room: 'public:wide' });
    return c;
  };
  const readers = await Promise.all(Array.from({ length: 20 }, (_, i) => join(`reader${i}`)));
  const stalled = await Promise.all(Array.from({ length: 10 }, (_, i) => join(`stalled${i}`)));
  for (const c of stalled) c.socket.pause();
  const baseline = await server.dump();
  const body = 'z'.repeat(16 * 1024);
  // 16 MB each: far past what the loopback's kernel buffers absorb (a few MB), so the server's send buffer must fill.
  const total = 1000;
  for (let i = 0; i < total; i++) {
    readers[0].sendRaw(JSON.stringify({ type: 'room.publish', data: { room: 'public:wide', body: `${i}:${body}` } }));
    // Every reader keeps up within 20 messages (~330 KB, under the 1 MiB bound): when this process
    // is starved by a busy host its readers fall behind, and without this pacing the server rightly
    // cut the slowest off as a slow consumer (4008), with or without COALESCE_WRITES.
    if (i % 20 === 19) await Promise.all(readers.map((r) => r.next((f) => f.type === 'message' && f.data.body.startsWith(`${i}:`), 30000)));
  }
  // 320 MB of JSON for this process to read and parse: slow when the host steals the vCPUs (a wait
  // of 20 s per reader ran out once); the bound is a hang detector, not a speed target.
  await Promise.all(readers.map((r) => r.next((f) => f.type === 'message' && f.data.body.startsWith(`${total - 1}:`), 60000)));
  for (const r of readers) expect(r.frames.filter((f) => f.type === 'message')).toHaveLength(total);
  let connections = -1;
  for (let i = 0; i < 50 && connections !== 20; i++) (connections = (await server.stats()).connections), await sleep(100);
  expect(connections).toBe(20);
  const after = await server.dump();
  const grownMiB = (after.memory.rss - baseline.memory.rss) / 2 ** 20;
  log(`16 KB broadcast x${total} to 20 readers + 10 stalled: rss +${grownMiB.toFixed(1)} MiB, heapUsed ${(after.memory.heapUsed / 2 ** 20).toFixed(1)} MiB`);
  expect(grownMiB).toBeLessThan(64);
  for (const c of [...readers, ...stalled]) c.socket.terminate();
}, 120000);

it('permessage-deflate stays off even when the client asks for it', async () => {
  const server = await startChildServer();
  const socket = new WebSocket(server.wsUrl, { headers: { authorization: `Bearer ${await childToken('deflate')}` }, perMessageDeflate: true });
  const upgraded = new Promise<Record<string, unknown>>((resolve) => socket.once('upgrade', (res) => resolve(res.headers)));
  await new Promise((resolve) => socket.once('open', resolve));
  expect((await upgraded)['sec-websocket-extensions']).toBeUndefined();
  expect(socket.extensions).toBe('');
  socket.terminate();
});
