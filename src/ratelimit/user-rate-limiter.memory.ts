import { TokenBucket } from '../registry/token-bucket';
import { PerUserBudgets } from './user-rate-limiter';

/** One node, no Redis: a token bucket per user on this node, shared by the user's sessions here. */
export class InMemoryUserRateLimiter extends PerUserBudgets<TokenBucket> {
  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
  ) {
    super();
  }

  protected create(_userId: string, now: number): TokenBucket {
    return new TokenBucket(this.ratePerSec, this.burst, now);
  }
}
