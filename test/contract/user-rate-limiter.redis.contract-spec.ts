import { LeasedUserRateLimiter } from '../../src/ratelimit/leased-user-rate-limiter';
import { RedisLeaseSource, userBucketKey } from '../../src/ratelimit/user-rate-limiter.redis';
import type { RedisClients } from '../../src/redis/redis-clients';
import { waitFor } from '../support/wait-for';
import { fresh } from './fresh';
import { redisFixture } from './redis-fixture';
import { BURST, describeUserRateLimiterContract, RATE } from './user-rate-limiter.contract';

const redis = redisFixture();
const node = (clients: RedisClients) => new LeasedUserRateLimiter(RATE, BURST, new RedisLeaseSource(clients, RATE, BURST));

describeUserRateLimiterContract('Redis', async () => [node(await redis.connect()), node(await redis.connect())]);

describe('RedisLeaseSource and LeasedUserRateLimiter on Redis (Redis only)', () => {
  it("keeps a user's bucket in the user's hash slot and lets it expire", async () => {
    const clients = await redis.connect();
    const user = fresh('user');
    expect(userBucketKey(user)).toMatch(/^rg:rl:\{u:[A-Za-z0-9_-]{11}\}$/);
    expect(await new RedisLeaseSource(clients, RATE, BURST).grant([{ userId: user, want: 5 }])).toEqual([{ granted: 5, left: BURST - 5 }]);
    const ttl = await clients.command.pttl(userBucketKey(user));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(Math.ceil((5 * 1000) / RATE) + 1000);
  });

  it('grants at most the burst, then the refill', async () => {
    const source = new RedisLeaseSource(await redis.connect(), RATE, BURST);
    const user = fresh('user');
    const [first, second] = await source.grant([
      { userId: user, want: BURST + 5 },
      { userId: user, want: 5 },
    ]);
    expect(first).toEqual({ granted: BURST, left: 0 });
    expect(second.granted).toBeLessThanOrEqual(1);
    expect(second.left).toBe(0);
  });

  it('falls back to the local bucket while Redis is unreachable, never blocking a frame', async () => {
    const clients = await redis.connect();
    const limiter = node(clients);
    const user = fresh('user');
    const budget = limiter.acquire(user);
    await waitFor(() => budget.take(Date.now()), 2000);
    await redis.whileDown(clients, async () => {
      // Uses up the lease: the refill it then asks for fails.
      await waitFor(() => !limiter.storeUp || (budget.take(Date.now()) && false), 2000);
      let accepted = 0;
      for (let i = 0; i < 3 * BURST; i++) if (budget.take(Date.now())) accepted++;
      // The local bucket's burst (and what it refilled meanwhile).
      expect(accepted).toBeGreaterThanOrEqual(BURST);
      expect(accepted).toBeLessThanOrEqual(BURST + 1);
    });
  }, 15_000);
});
