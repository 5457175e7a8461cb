// WS_COMPRESSION (docs/performance.md, "Compression"): what permessage-deflate costs the server,
// the product built in this checkout run twice, off then on, with the same load from this process
// (ws clients that offer permessage-deflate, as browsers do):
//   1. memory: CONNS clients, each in a room of its own, each publishing one ~2 KiB JSON body there
//      (the server inflates it, then deflates the delivery), so every connection has used both zlib
//      streams; server heap + external and RSS per connection after a full GC, over an idle server;
//   2. fan-out: one room of MEMBERS members, MESSAGES publishes of a ~4 KiB JSON body (a list of
//      records, compressible like real payloads); server CPU per delivered message, and the bytes
//      one delivery takes on the wire (the frame, compressed the way the server does).
// Pin it like the suite: taskset -c 1 node bench/micro/compression.mjs [CONNS] [MEMBERS] [MESSAGES]
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { BENCH_SECRET, Server } from '../lib/servers.mjs';
import { tokenFor } from '../lib/tokens.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { WebSocket } = createRequire(path.join(REPO, 'package.json'))('ws');
const [CONNS, MEMBERS, MESSAGES] = [Number(process.argv[2] ?? 2000), Number(process.argv[3] ?? 500), Number(process.argv[4] ?? 200)];
const record = (i) => ({ id: i, name: `customer ${i}`, email: `customer${i}@example.com`, status: i % 3 ? 'active' : 'paused', tags: ['retail', 'eu'], balance: i * 7.25 });
const SMALL_BODY = { rows: Array.from({ length: 14 }, (_, i) => record(i)) };
const BIG_BODY = { rows: Array.from({ length: 30 }, (_, i) => record(i)) };

async function client(port, sub) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { authorization: `Bearer ${await tokenFor(sub, BENCH_SECRET)}` } });
  const pending = new Map();
  let seq = 0;
  ws.received = 0;
  ws.on('message', (data) => {
    const frame = JSON.parse(data);
    if (frame.type === 'message') ws.received++;
    if (frame.id && pending.has(frame.id)) pending.get(frame.id)(frame), pending.delete(frame.id);
  });
  ws.request = (type, data) => new Promise((resolve) => {
    const id = `r${++seq}`;
    pending.set(id, resolve);
    ws.send(JSON.stringify({ type, id, data }));
  });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  return ws;
}

async function run(mode) {
  const outDir = path.join(os.tmpdir(), `bench-compression-${process.pid}`);
  const server = await Server.start('product', { productDir: REPO, outDir, label: `compression-${mode}`, logLevel: 'info', core: 0, extraEnv: { WS_COMPRESSION: mode } });
  try {
    const idle = await server.memory();
    const conns = [];
    for (let i = 0; i < CONNS; i += 100) conns.push(...(await Promise.all(Array.from({ length: Math.min(100, CONNS - i) }, (_, k) => client(server.port, `m${i + k}`)))));
    for (let i = 0; i < conns.length; i += 200) {
      await Promise.all(conns.slice(i, i + 200).map(async (ws, k) => {
        await ws.request('room.join', { room: `public:own${i + k}` });
        await ws.request('room.publish', { room: `public:own${i + k}`, body: SMALL_BODY });
      }));
    }
    const loaded = await server.memory();
    const perConn = (key) => (loaded[key] - idle[key]) / CONNS;
    const extensions = conns[0].extensions;
    for (const ws of conns) ws.terminate();

    const members = [];
    for (let i = 0; i < MEMBERS; i += 100) members.push(...(await Promise.all(Array.from({ length: Math.min(100, MEMBERS - i) }, (_, k) => client(server.port, `f${i + k}`)))));
    for (const ws of members) await ws.request('room.join', { room: 'public:fanout' });
    const publisher = await client(server.port, 'publisher');
    const cpu0 = server.cpuSeconds();
    for (let i = 0; i < MESSAGES; i++) await publisher.request('room.publish', { room: 'public:fanout', body: BIG_BODY });
    while (members.some((ws) => ws.received < MESSAGES)) await new Promise((r) => setTimeout(r, 20));
    const cpuUs = ((server.cpuSeconds() - cpu0) * 1e6) / (MEMBERS * MESSAGES);
    for (const ws of [...members, publisher]) ws.terminate();
    return { mode, extensions, heapPlusExternalKiB: (perConn('heapUsed') + perConn('external')) / 1024, rssKiB: perConn('rss') / 1024, cpuUsPerDelivery: cpuUs };
  } finally {
    await server.stop();
  }
}

const frame = Buffer.from(JSON.stringify({ type: 'message', data: { room: 'public:fanout', messageId: 'x'.repeat(36), from: 'publisher', body: BIG_BODY, ts: Date.now(), offset: 1, epoch: 'abcdefghijk' } }));
// The payload plus a 4-byte frame header (126..65535 bytes); compressed as the server does (level 1, 1 KiB window).
const wire = { off: frame.length + 4, on: deflateRawSync(frame, { level: 1, memLevel: 4, windowBits: 10 }).length + 4 };
const rows = [await run('off'), await run('on')];
console.log(`WS_COMPRESSION: ${CONNS} connections (memory), fan-out ${MEMBERS} members x ${MESSAGES} messages of ${frame.length} bytes`);
console.log('mode | negotiated | heap+external KiB/conn | RSS KiB/conn | server CPU us/delivery | bytes/delivery');
for (const r of rows) console.log(`${r.mode} | ${r.extensions || '-'} | ${r.heapPlusExternalKiB.toFixed(1)} | ${r.rssKiB.toFixed(1)} | ${r.cpuUsPerDelivery.toFixed(1)} | ${wire[r.mode]}`);
console.log(`ratios on/off: RSS ${(rows[1].rssKiB / rows[0].rssKiB).toFixed(2)}x, CPU ${(rows[1].cpuUsPerDelivery / rows[0].cpuUsPerDelivery).toFixed(2)}x, bytes ${(wire.on / wire.off).toFixed(2)}x`);
