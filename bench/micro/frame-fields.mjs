// Micro-benchmark behind "Frame size" (docs/performance.md, issue 16 item 3): what each field of a
// `message` frame costs at high fan-out. The frame is the product's own (encodeFrame from dist, a
// realistic room message); each variant leaves one field out (or shortens messageId to 22
// characters). Per variant: bytes on the wire, server CPU per delivered frame written once per
// message per socket and written 8 to a socket per event-loop turn (what COALESCE_WRITES does
// under load), and a client's JSON.parse per frame. Variants alternate round by round, so drifts of
// a shared machine hit all alike. Members are real WebSocket connections on loopback whose client
// ends (a child process) read and discard. Pin it: the server part to one core, the clients to the
// other (the clients move to the other core by themselves when taskset is there).
//   taskset -c 0 node bench/micro/frame-fields.mjs [MEMBERS] [ROUNDS] [FRAMES_PER_ROUND]
import { fork, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'package.json'));
const { WebSocketServer, Sender } = require('ws');
const { encodeFrame } = require(path.join(root, 'dist/protocol/encode.js'));
const [members, rounds, frames] = [Number(process.argv[2] ?? 500), Number(process.argv[3] ?? 12), Number(process.argv[4] ?? 160)];
const PER_TURN = 8;

const data = {
  room: 'public:lobby',
  messageId: 'a08df337-20b6-424d-911a-00cf4de127a4',
  from: 'alice',
  body: { text: 'see you at the station at 6, bring the tickets' },
  ts: 1795308452792,
  offset: 123456,
  epoch: 'gqM3dVjD9xI',
};
const without = (key) => Object.fromEntries(Object.entries(data).filter(([k]) => k !== key));
const variants = [
  ['as sent today', data],
  ['without messageId', without('messageId')],
  ['messageId of 22 chars', { ...data, messageId: 'oN8z3E1wQy6X0m2cVb7kLa' }],
  ['without ts', without('ts')],
  ['without epoch', without('epoch')],
  ['without room', without('room')],
  ['room, from, body, offset only', { room: data.room, from: data.from, body: data.body, offset: data.offset }],
].map(([name, d]) => {
  const payload = encodeFrame({ type: 'message', data: d });
  const bytes = Buffer.concat(Sender.frame(payload, { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false }));
  return { name, payload, bytes, once: [], turn: [] };
});

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
await once(wss, 'listening');
const sockets = [];
wss.on('connection', (ws, req) => sockets.push(req.socket)); // the TCP socket ws writes to
// The reading clients: fanout-write.mjs's child mode (ws clients that read and discard).
const child = fork(path.join(here, 'fanout-write.mjs'), ['--clients', String(wss.address().port), String(members)], { cwd: root, execArgv: [] });
const mine = spawnSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' }).stdout?.trim().split(' ').at(-1);
if (mine === '1') spawnSync('taskset', ['-a', '-p', '-c', '1', String(child.pid)], { stdio: 'ignore' });
else if (mine === '2') spawnSync('taskset', ['-a', '-p', '-c', '0', String(child.pid)], { stdio: 'ignore' });
await once(child, 'message');

const drain = async () => {
  while (sockets.some((s) => s.writableLength > 0)) await new Promise((r) => setTimeout(r, 5));
};
/** us of CPU per delivered frame: `perTurn` frames to every socket per turn (corked when > 1). */
const round = async (bytes, perTurn) => {
  const t0 = process.cpuUsage();
  for (let f = 0; f < frames; f += perTurn) {
    for (const s of sockets) {
      if (perTurn > 1) s.cork();
      for (let k = 0; k < perTurn; k++) s.write(bytes);
      if (perTurn > 1) s.uncork();
    }
    if (f % 32 >= 32 - perTurn) await drain();
  }
  await drain();
  const c = process.cpuUsage(t0);
  return (c.user + c.system) / (frames * members);
};
for (const v of variants) await round(v.bytes, 1), await round(v.bytes, PER_TURN); // warm-up
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [...variants].reverse() : variants;
  for (const v of order) v.once.push(await round(v.bytes, 1)), v.turn.push(await round(v.bytes, PER_TURN));
}
const parseNs = (payload) => {
  const text = payload.toString();
  let sink = 0;
  const n = 200_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += JSON.parse(text).data.offset ?? 1;
  return sink > 0 ? Number(process.hrtime.bigint() - t0) / n : NaN;
};
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = variants[0];
console.log(`${members} members, ${rounds} rounds of ${frames} frames per variant; medians. CPU: server process (user+sys) per delivered frame`);
console.log('| Variant | Bytes on the wire | CPU, 1 frame per write | ratio | CPU, 8 frames per write | ratio | client JSON.parse |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const v of variants) {
  const [once1, turn8] = [med(v.once), med(v.turn)];
  const r1 = once1 / med(base.once);
  const r8 = turn8 / med(base.turn);
  console.log(`| ${v.name} | ${v.bytes.length} | ${once1.toFixed(2)} us | ${r1.toFixed(2)}x | ${turn8.toFixed(2)} us | ${r8.toFixed(2)}x | ${parseNs(v.payload).toFixed(0)} ns |`);
}
child.kill();
for (const s of sockets) s.destroy();
wss.close();
