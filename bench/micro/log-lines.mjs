#!/usr/bin/env node
// Micro-benchmark behind finding 6: the CPU of one "connection opened"-style pino line written to
// a file (the suite's product writes its log to a file), by destination:
//   a) pino's synchronous destination, one write(2) per line (the product until 2026-11);
//   b) the product's BufferedLogStream (dist/logging/buffered-log-stream.js of PRODUCT_DIR).
// Lines are logged in bursts of 32 (a handshake burst), 10 ms apart.
//   taskset -c 0 node bench/micro/log-lines.mjs [PRODUCT_DIR] [LINES]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const dir = path.resolve(process.argv[2] ?? repo);
const LINES = Number(process.argv[3] ?? 20_000);
const require = createRequire(path.join(dir, 'package.json'));
const pino = require('pino');
const { BufferedLogStream } = require(path.join(dir, 'dist', 'logging', 'buffered-log-stream.js'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'log-lines-'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(name, destination) {
  const logger = pino({ level: 'info' }, destination);
  const line = (i) => logger.info({ sessionId: `8f1b8f7e-7d3c-4f5e-9d43-${String(i).padStart(12, '0')}`, userId: `u${i}`, remoteAddress: '127.0.0.3' }, 'connection opened');
  for (let i = 0; i < 2000; i++) line(i);
  let cpu = 0;
  for (let i = 0; i < LINES; i += 32) {
    const c0 = process.cpuUsage();
    for (let j = 0; j < 32; j++) line(i + j);
    const c = process.cpuUsage(c0);
    cpu += c.user + c.system;
    await sleep(10); // the buffered stream writes in the pause (its timer): counted below
  }
  const total = process.cpuUsage();
  console.log(`${name.padEnd(50)} ${(cpu / LINES).toFixed(2).padStart(6)} us CPU/line in the logging calls`);
  return total;
}

// Whole-process CPU per line, timer-driven writes included.
for (const [name, make] of [
  ['a) pino.destination, sync', () => pino.destination({ dest: path.join(tmp, 'a.log'), sync: true })],
  ['b) BufferedLogStream', () => new BufferedLogStream(pino.destination({ dest: path.join(tmp, 'b.log'), sync: true }))],
]) {
  const c0 = process.cpuUsage();
  const dest = make();
  await measure(name, dest);
  dest.flush?.();
  const c = process.cpuUsage(c0);
  console.log(`${''.padEnd(50)} ${((c.user + c.system) / LINES).toFixed(2).padStart(6)} us CPU/line, whole process (timers and the pauses' event loop included)`);
}
fs.rmSync(tmp, { recursive: true, force: true });
