import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { storeProvider } from '../redis/store-provider';
import { LeasedUserRateLimiter } from './leased-user-rate-limiter';
import { USER_RATE_LIMITER, UserRateLimiter } from './user-rate-limiter';
import { InMemoryUserRateLimiter } from './user-rate-limiter.memory';
import { RedisLeaseSource } from './user-rate-limiter.redis';

/** The per-user rate limit (USER_RATE_LIMITER): a bucket per user on one node, leases of a Redis bucket in a cluster. */
@Module({
  providers: [
    storeProvider<UserRateLimiter, [AppConfig]>(USER_RATE_LIMITER, {
      inject: [APP_CONFIG],
      memory: (config) => new InMemoryUserRateLimiter(config.rateLimitUserPerSec, config.rateLimitUserBurst),
      redis: (redis, config) =>
        new LeasedUserRateLimiter(config.rateLimitUserPerSec, config.rateLimitUserBurst, new RedisLeaseSource(redis, config.rateLimitUserPerSec, config.rateLimitUserBurst)),
    }),
  ],
  exports: [USER_RATE_LIMITER],
})
export class RateLimitModule {}
