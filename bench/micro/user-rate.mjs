#!/usr/bin/env node
// Micro-benchmark of the per-user rate limit (src/ratelimit/): the per-frame cost of the user check
// next to the per-connection TokenBucket alone, in the same run, using the product's compiled code
// (dist/). The frame loop yields to the event loop every 1,000 frames (so lease refills land), for
// every variant alike; the variants run in 3 alternating rounds, the best of each is printed. With REDIS_URL set it also measures the Redis calls a user at the limit costs
// one node: 1,000 frames/s offered for 3 s against RATE_LIMIT_USER_PER_SEC=200.
//   taskset -c 0 node bench/micro/user-rate.mjs [PRODUCT_DIR] [FRAMES]
//   REDIS_URL=redis://127.0.0.1:6379 node bench/micro/user-rate.mjs
// PRODUCT_DIR defaults to this repository (run `npm run build` first).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const dir = path.resolve(process.argv[2] ?? repo);
const N = Number(process.argv[3] ?? 2_000_000);
const require = createRequire(path.join(dir, 'package.json'));
const dist = (p) => require(path.join(dir, 'dist', p));

const { TokenBucket } = dist('registry/token-bucket.js');
const { InMemoryUserRateLimiter } = dist('ratelimit/user-rate-limiter.memory.js');
const { LeasedUserRateLimiter } = dist('ratelimit/leased-user-rate-limiter.js');

const yieldNow = () => new Promise((resolve) => setImmediate(resolve));
/** Grants whatever is asked at once: the lease logic's own cost, Redis left out. */
const instant = { grant: async (requests) => requests.map((r) => ({ granted: r.want, left: Infinity })) };

async function time(frame) {
  for (let i = 0; i < 200_000; i++) frame();
  await yieldNow();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    frame();
    if (i % 1000 === 999) await yieldNow();
  }
  return Number(process.hrtime.bigint() - t0) / N;
}

console.log(`${dir}: ${N} frames per variant and round, a yield every 1,000, best of 3 alternating rounds\n`);
const connection = new TokenBucket(1e12, 1e12, Date.now());
const memory = new InMemoryUserRateLimiter(1e12, 1e12).acquire('u');
const inHand = new LeasedUserRateLimiter(1e12, 1e12, instant).acquire('u');
// A lease of 1,000 (rate 4,000/s): refilled every ~750 frames, by a batch answered at once.
const refilled = new LeasedUserRateLimiter(4000, 1000, instant);
const budget = refilled.acquire('u');
await yieldNow();
const variants = [
  ['connection TokenBucket alone (Date.now() + take)', () => connection.take(Date.now())],
  ['+ user check, one node (InMemoryUserRateLimiter: a TokenBucket per user)', () => { const now = Date.now(); return connection.take(now) && memory.take(now); }],
  ['+ user check, cluster, lease in hand (never refilled)', () => { const now = Date.now(); return connection.take(now) && inHand.take(now); }],
  [`+ user check, cluster, lease of ${refilled.leaseSize} refilled in batches (instant source)`, () => { const now = Date.now(); return connection.take(now) && budget.take(now); }],
];
const best = variants.map(() => Infinity);
const batches0 = refilled.batches;
for (let round = 0; round < 3; round++) for (const [i, [, frame]] of variants.entries()) best[i] = Math.min(best[i], await time(frame));
for (const [i, [name]] of variants.entries()) {
  const delta = i === 0 ? '' : `   (${best[i] - best[0] >= 0 ? '+' : ''}${(best[i] - best[0]).toFixed(1)} ns vs the connection bucket alone)`;
  console.log(`${name.padEnd(78)} ${best[i].toFixed(1).padStart(6)} ns/frame${delta}`);
}
console.log(`  lease refills: ${refilled.batches - batches0} batches in ${3 * (N + 200_000)} frames of the last variant`);

if (process.env.REDIS_URL) {
  const { RedisClients } = dist('redis/redis-clients.js');
  const { RedisLeaseSource, userBucketKey } = dist('ratelimit/user-rate-limiter.redis.js');
  const clients = new RedisClients(process.env.REDIS_URL);
  await clients.whenReady(5000);
  const [rate, burst, seconds, offered] = [200, 400, 3, 1000];
  const limiter = new LeasedUserRateLimiter(rate, burst, new RedisLeaseSource(clients, rate, burst));
  const user = `bench-user-rate-${process.pid}`;
  await clients.command.del(userBucketKey(user));
  const b = limiter.acquire(user);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  const batches0 = limiter.batches;
  let accepted = 0;
  let sent = 0;
  while (Date.now() - started < seconds * 1000) {
    for (let i = 0; i < offered / 100; i++, sent++) if (b.take(Date.now())) accepted++;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const elapsed = (Date.now() - started) / 1000;
  console.log(
    `\nRedis (${process.env.REDIS_URL}), one node, RATE_LIMIT_USER_PER_SEC=${rate} BURST=${burst}, lease ${limiter.leaseSize}: ` +
      `${sent} frames offered in ${elapsed.toFixed(2)} s, ${accepted} accepted (budget ${burst} + ${rate} x ${elapsed.toFixed(2)} = ${Math.round(burst + rate * elapsed)}), ` +
      `${limiter.batches - batches0} Redis calls = ${((limiter.batches - batches0) / elapsed).toFixed(1)}/s`,
  );
  await clients.close();
}
