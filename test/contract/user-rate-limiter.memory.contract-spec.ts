import { InMemoryUserRateLimiter } from '../../src/ratelimit/user-rate-limiter.memory';
import { BURST, describeUserRateLimiterContract, RATE } from './user-rate-limiter.contract';

describeUserRateLimiterContract('in memory', async () => {
  const limiter = new InMemoryUserRateLimiter(RATE, BURST);
  return [limiter, limiter];
});
