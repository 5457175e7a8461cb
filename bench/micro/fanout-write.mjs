// Micro-benchmark behind "Library internals we read, and why" (docs/performance.md): the CPU of
// OutboundService.writePrepared per delivered frame, for two product builds in one process,
// alternating round by round (so drifts of a shared machine hit both alike). The members are real
// WebSocket connections on loopback; their client ends run in a child process that reads and
// discards. Pin it: the server part to one core, the clients to the other.
//   taskset -c 0 node bench/micro/fanout-write.mjs DIR_A DIR_B [MEMBERS] [ROUNDS] [FRAMES_PER_ROUND]
import { fork, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === '--clients') {
  // Child: MEMBERS ws clients that read and discard.
  const require = createRequire(path.join(process.cwd(), 'package.json'));
  const { WebSocket } = require('ws');
  const [port, members] = process.argv.slice(3).map(Number);
  let open = 0;
  for (let i = 0; i < members; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    ws.on('open', () => ++open === members && process.send('open'));
    ws.on('message', () => {});
  }
} else {
  const [dirA, dirB] = process.argv.slice(2, 4).map((d) => path.resolve(d));
  const [members, rounds, frames] = [Number(process.argv[4] ?? 500), Number(process.argv[5] ?? 20), Number(process.argv[6] ?? 200)];
  const load = (dir) => {
    const require = createRequire(path.join(dir, 'package.json'));
    require('reflect-metadata');
    const { OutboundService, PreparedFrame } = require(path.join(dir, 'dist/delivery/outbound.service.js'));
    const { Session } = require(path.join(dir, 'dist/registry/session.js'));
    const service = new OutboundService({ sendBufferMaxBytes: 1 << 30 }, { frameOut() {}, errorSent() {} }, { slowConsumerCloses: { value: 0 } }, { warn() {} });
    return { dir, service, PreparedFrame, Session, require };
  };
  const builds = [load(dirA), load(dirB)];
  const { WebSocketServer } = builds[0].require('ws');
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await once(wss, 'listening');
  const sockets = [];
  wss.on('connection', (ws) => sockets.push(ws));
  const child = fork(fileURLToPath(import.meta.url), ['--clients', String(wss.address().port), String(members)], { cwd: dirA, execArgv: [] });
  // The clients on the other core than this process (taskset-pinned), when taskset is there.
  const mine = spawnSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' }).stdout?.trim().split(' ').at(-1);
  if (mine === '1') spawnSync('taskset', ['-a', '-p', '-c', '1', String(child.pid)], { stdio: 'ignore' });
  else if (mine === '2') spawnSync('taskset', ['-a', '-p', '-c', '0', String(child.pid)], { stdio: 'ignore' });
  await once(child, 'message');
  const sessions = builds.map((b) => sockets.map((ws, i) => new b.Session(`s${i}`, `u${i}`, ws, {}, {}, '127.0.0.1', 0)));
  // ~260 bytes, like the fan-out scenario's messages.
  const payload = Buffer.from(JSON.stringify({ type: 'room.message', data: { room: 'public:bench', messageId: 'x'.repeat(36), from: 'publisher', body: { pad: 'p'.repeat(120) }, ts: 0, offset: 1, epoch: 'e' } }));
  const drain = async () => {
    while (sockets.some((ws) => ws.bufferedAmount > 0)) await new Promise((r) => setTimeout(r, 5));
  };
  const round = async (k) => {
    const { service, PreparedFrame } = builds[k];
    const t0 = process.cpuUsage();
    for (let f = 0; f < frames; f++) {
      const frame = new PreparedFrame(payload);
      for (const s of sessions[k]) service.writePrepared(s, frame);
      if (f % 20 === 19) await drain();
    }
    await drain();
    const c = process.cpuUsage(t0);
    return (c.user + c.system) / (frames * members);
  };
  for (let w = 0; w < 2; w++) for (const k of [0, 1]) await round(k); // warm-up
  const us = [[], []];
  for (let r = 0; r < rounds; r++) for (const k of r % 2 ? [1, 0] : [0, 1]) us[k].push(await round(k));
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${members} members, ${rounds} rounds of ${frames} frames each, ${payload.length}-byte payload; us CPU per delivered frame (process, user+sys)`);
  for (const k of [0, 1]) console.log(`  ${builds[k].dir}: median ${med(us[k]).toFixed(3)}  (min ${Math.min(...us[k]).toFixed(3)}, max ${Math.max(...us[k]).toFixed(3)})`);
  console.log(`  ratio A/B of medians: ${(med(us[0]) / med(us[1])).toFixed(3)}`);
  child.kill();
  for (const ws of sockets) ws.terminate();
  wss.close();
}
