#!/usr/bin/env node
// Micro-benchmark behind a hot-path suggestion: the cost of verifying one HS256 JWT
//   a) jose.jwtVerify with the secret as Uint8Array (what src/auth/token-verifier.ts does: jose v6
//      imports it with WebCrypto on every call and verifies with an async WebCrypto job),
//   b) jose.jwtVerify with a CryptoKey imported once,
//   c) node:crypto HMAC-SHA256 + timingSafeEqual, synchronous (claims checked by hand),
//   d) the product's own TokenVerifier.verify, from PRODUCT_DIR's dist/ (default: this repository;
//      run `npm run build` first), to compare checkouts.
// Run pinned like the server: taskset -c 0 node bench/micro/jwt-verify.mjs [N] [PRODUCT_DIR]
// Reports wall time per verify and process CPU per verify (CPU includes libuv threadpool work).
import { createHmac, timingSafeEqual, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jwtVerify, SignJWT } from 'jose';

const SECRET = 'bench-secret-0123456789abcdef-0123456789abcdef';
const raw = new TextEncoder().encode(SECRET);
const token = await new SignJWT({ rooms: ['public:*'] }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('u1').setIssuedAt().setExpirationTime('2h').sign(raw);
const cryptoKey = await webcrypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
const opts = { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] };

function verifySync(jwt) {
  const dot1 = jwt.indexOf('.');
  const dot2 = jwt.indexOf('.', dot1 + 1);
  const header = JSON.parse(Buffer.from(jwt.slice(0, dot1), 'base64url').toString());
  if (header.alg !== 'HS256') throw new Error('alg');
  const sig = Buffer.from(jwt.slice(dot2 + 1), 'base64url');
  const mac = createHmac('sha256', raw).update(jwt.slice(0, dot2)).digest();
  if (sig.length !== mac.length || !timingSafeEqual(sig, mac)) throw new Error('signature');
  const payload = JSON.parse(Buffer.from(jwt.slice(dot1 + 1, dot2), 'base64url').toString());
  if (typeof payload.exp !== 'number' || payload.exp <= Date.now() / 1000 || typeof payload.sub !== 'string') throw new Error('claims');
  return payload;
}

async function measure(name, fn, n, concurrency = 32) {
  for (let i = 0; i < 500; i++) await fn(); // warm up
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next++ < n) await fn(); }));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  console.log(`${name.padEnd(44)} ${(1000 * wall / n).toFixed(1).padStart(7)} us wall/verify  ${((cpu.user + cpu.system) / n).toFixed(1).padStart(7)} us CPU/verify`);
}

const N = Number(process.argv[2] ?? 5000);
await measure('a) jose, Uint8Array secret (product until 2026-11)', () => jwtVerify(token, raw, opts), N);
await measure('b) jose, CryptoKey imported once', () => jwtVerify(token, cryptoKey, opts), N);
await measure('c) node:crypto HMAC, synchronous', async () => verifySync(token), N);

const repo = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const dir = path.resolve(process.argv[3] ?? repo);
if (fs.existsSync(path.join(dir, 'dist', 'auth', 'token-verifier.js'))) {
  const require = createRequire(path.join(dir, 'package.json'));
  require('reflect-metadata');
  const { loadConfig } = require(path.join(dir, 'dist', 'config', 'index.js'));
  const { TokenVerifier } = require(path.join(dir, 'dist', 'auth', 'token-verifier.js'));
  const verifier = new TokenVerifier(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, LOG_LEVEL: 'silent' }));
  await measure(`d) TokenVerifier.verify (${path.basename(dir)})`, () => verifier.verify(token), N);
}
