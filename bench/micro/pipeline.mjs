#!/usr/bin/env node
// Micro-benchmark behind the request/reply findings: the product's per-message pipeline, stage by
// stage, in-process (no sockets), for one `room.publish` to a room without members, using the
// product's own compiled code (dist/). Each stage is timed alone over many iterations.
//   taskset -c 0 node bench/micro/pipeline.mjs [PRODUCT_DIR] [ITERATIONS]
// PRODUCT_DIR defaults to this repository (run `npm run build` first).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const dir = path.resolve(process.argv[2] ?? repo);
const N = Number(process.argv[3] ?? 50_000);
const require = createRequire(path.join(dir, 'package.json'));
const dist = (p) => require(path.join(dir, 'dist', p));

require('reflect-metadata');
const { loadConfig } = dist('config/index.js');
const { createApp } = dist('app.factory.js');
const { HandlerRegistryService } = dist('messaging/handler-registry.service.js');
const { validatePayload } = dist('messaging/payload-validator.js');
const { RoomPublishDto } = dist('rooms/dto/room.dto.js');
const { RoomHandler } = dist('rooms/room.handler.js');
const { readEnvelope, readId } = dist('gateway/envelope-reader.js');
const { encodeFrame } = dist('protocol/encode.js');
const { Session } = dist('registry/session.js');
const { RoomPermissions } = dist('auth/room-permissions.js');
const { TokenBucket } = dist('registry/token-bucket.js');
const { HISTORY_STORE } = dist('history/history-store.js');

const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'bench-secret-0123456789abcdef-0123456789abcdef', LOG_LEVEL: 'silent' });
const app = await createApp(config);
await app.init();
const registry = app.get(HandlerRegistryService);
const roomHandler = app.get(RoomHandler);
const history = app.get(HISTORY_STORE);
const socket = { readyState: 1, bufferedAmount: 0, send() {} };
const session = new Session('s1', 'u1', socket, new RoomPermissions(['public:*']), new TokenBucket(1e9, 1e9, Date.now()), '127.0.0.1', Date.now() / 1000 + 3600);
const handler = registry.get('room.publish');
const rooms = Array.from({ length: 1000 }, (_, i) => `public:rr-${i}`);
const raw = (k) => Buffer.from(`{"type":"room.publish","id":"${k}","data":{"room":"${rooms[k % 1000]}","body":{"n":${k}}}}`);

async function time(name, fn, baseline) {
  for (let i = 0; i < 5000; i++) await fn(i);
  const t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) await fn(i);
  const c = process.cpuUsage(t0);
  const us = (c.user + c.system) / N;
  console.log(`${name.padEnd(62)} ${us.toFixed(2).padStart(7)} us CPU${baseline ? `   (${baseline})` : ''}`);
  return us;
}

console.log(`${dir}: ${N} iterations per stage\n`);
const bufs = Array.from({ length: 1000 }, (_, k) => raw(k));
await time('JSON.parse + readId + readEnvelope (depth/__proto__ walk)', (i) => {
  const f = JSON.parse(bufs[i % 1000].toString());
  readId(f);
  return readEnvelope(f, 32);
});
const data = (i) => ({ room: rooms[i % 1000], body: { n: i } });
await time('validatePayload(RoomPublishDto)', (i) => validatePayload(RoomPublishDto, data(i)));
const ROOM = /^[A-Za-z0-9:_.-]{1,128}$/;
await time('  the same checks written by hand (what the baseline does)', (i) => {
  const d = data(i);
  for (const k in d) if (k !== 'room' && k !== 'body') throw new Error('unknown');
  if (typeof d.room !== 'string' || !ROOM.test(d.room) || d.body === undefined) throw new Error('invalid');
  return d;
});
const dto = (i) => Object.assign(new RoomPublishDto(), data(i));
await time(`handler.invoke (${handler.via ?? 'nest'} invoker) + handler`, (i) => handler.invoke(session, dto(i)));
await time('  RoomHandler.publish called directly (publisher + history)', (i) => roomHandler.publish(session, dto(i)));
await time('    history.append alone (build, encodeFrame, trim)', (i) => history.append(rooms[i % 1000], { room: rooms[i % 1000], messageId: 'x', from: 'u1', body: { n: i }, ts: Date.now() }));
const ack = { messageId: '8f1b8f7e-7d3c-4f5e-9d43-4b8b8a1e2c3d', ts: Date.now(), offset: 42, epoch: 'gqM3dVjD9xI' };
await time('encodeFrame(ack)', (i) => encodeFrame({ type: 'ack', id: String(i), data: ack }));
await app.close();
process.exit(0);
