import { TokenBucket } from '../registry/token-bucket';
import { PerUserBudgets, UserBudget } from './user-rate-limiter';

/** One user's request for tokens of their shared bucket. */
export interface LeaseRequest {
  userId: string;
  want: number;
}

/** What one request got, and the whole tokens its shared bucket has left. */
export interface LeaseGrant {
  granted: number;
  left: number;
}

/** The shared buckets (on Redis: user-rate-limiter.redis.ts). */
export interface LeaseSource {
  /**
   * Takes up to `want` tokens of each user's shared bucket, all requests in one batch; resolves
   * with what each got (0 when the bucket is empty), rejects when the store cannot be reached.
   */
  grant(requests: LeaseRequest[]): Promise<LeaseGrant[]>;
}

/** After a failed batch, the users it was for wait this long before asking again (their local bucket rules meanwhile). */
export const RETRY_AFTER_FAILURE_MS = 1000;

/** A refill in flight longer than this is a slow or failing Redis: the local bucket decides meanwhile. */
export const SLOW_REFILL_MS = 250;

/**
 * The lease size for a rate: a quarter second of the rate (at most the burst). A user sending at the
 * full rate through one node costs it about 4-6 Redis calls per second (a refill is asked below a
 * quarter of the lease and tops it up), and each node may hold one lease more than the budget.
 */
export const leaseSizeFor = (ratePerSec: number, burst: number): number => Math.max(1, Math.min(burst, Math.ceil(ratePerSec / 4)));

/**
 * The cluster-wide per-user limit without a Redis round trip per frame. Each node holds a lease of
 * tokens per user and takes from it synchronously; when it runs low (or out), the user is due for a
 * refill, and every user due within one event-loop turn is asked for in one batch (LeaseSource:
 * one pipeline). The shared bucket refills by elapsed time, so all nodes together are granted at
 * most `burst + rate x T` tokens in any T; a node accepts a frame with a token of a lease, or of
 * its provisional bucket (one lease, refilled at the rate) before the first lease arrives and
 * while a refill takes longer than SLOW_REFILL_MS. So a user's frames accepted over T are at most
 * `burst + rate x T + nodes x 2 x leaseSize` (the leases held when T starts, and one provisional
 * lease), plus `rate x` the time each node waited for leases. Leases left when a user's last
 * session on a node closes are lost (the user gets less, never more).
 *
 * While the store is unreachable (a batch failed) every budget falls back to a local token bucket
 * of the same rate and burst: a frame never waits for Redis, and each node then allows the full
 * rate on its own (nodes x rate in all) until a batch succeeds again.
 */
export class LeasedUserRateLimiter extends PerUserBudgets<LeaseBudget> {
  readonly leaseSize: number;
  /** A refill is asked when the lease falls below this. */
  readonly lowWater: number;
  /** False from a failed batch to the next successful one: budgets use their local bucket. */
  storeUp = true;
  /** Batches sent (tests, the micro-benchmark). */
  batches = 0;
  private due: LeaseBudget[] = [];

  constructor(
    readonly ratePerSec: number,
    readonly burst: number,
    private readonly source: LeaseSource,
    private readonly clock: () => number = Date.now,
    private readonly defer: (flush: () => void) => void = setImmediate,
  ) {
    super();
    this.leaseSize = leaseSizeFor(ratePerSec, burst);
    this.lowWater = Math.max(1, Math.ceil(this.leaseSize / 4));
  }

  /** A new budget asks for its first lease at once; until it arrives, its provisional bucket decides. */
  protected create(userId: string, now: number): LeaseBudget {
    const budget = new LeaseBudget(userId, this, new TokenBucket(this.ratePerSec, this.leaseSize, now), new TokenBucket(this.ratePerSec, this.burst, now));
    this.want(budget, now);
    return budget;
  }

  protected override dropped(budget: LeaseBudget): void {
    budget.dropped = true;
  }

  /** Marks the budget due for a refill (once: until its answer, or its wait, is over). */
  want(budget: LeaseBudget, now: number): void {
    if (budget.pending || budget.dropped || now < budget.notBefore) return;
    budget.pending = true;
    budget.pendingSince = now;
    if (this.due.push(budget) === 1) this.defer(() => this.flush());
  }

  /** How long the shared bucket takes to refill `tokens`. */
  refillMs(tokens: number): number {
    return Math.ceil((1000 * tokens) / this.ratePerSec);
  }

  private flush(): void {
    const batch = this.due;
    this.due = [];
    const requests = batch.map((budget) => ({ userId: budget.userId, want: Math.max(1, this.leaseSize - Math.floor(budget.lease)) }));
    this.batches += 1;
    this.source.grant(requests).then(
      (grants) => {
        this.storeUp = true;
        const now = this.clock();
        batch.forEach((budget, i) => {
          budget.pending = false;
          if (budget.dropped) return;
          const { granted, left } = grants[i];
          budget.lease += granted;
          budget.granted = true;
          // The shared bucket is short of a lease (the user is at the limit): no use asking before it refilled one.
          if (left < this.leaseSize) budget.notBefore = now + this.refillMs(this.leaseSize - left);
        });
      },
      () => {
        this.storeUp = false;
        const now = this.clock();
        for (const budget of batch) {
          budget.pending = false;
          budget.notBefore = now + RETRY_AFTER_FAILURE_MS;
        }
      },
    );
  }
}

/** One user's lease on this node. */
export class LeaseBudget implements UserBudget {
  /** Tokens granted to this node and not used yet. */
  lease = 0;
  /** A refill is on its way, since pendingSince. */
  pending = false;
  pendingSince = 0;
  /** A lease was granted once: until then the local bucket decides. */
  granted = false;
  /** No refill is asked before this time (the shared bucket was short, or the store failed). */
  notBefore = 0;
  /** The user's last session on this node is gone: a late grant is thrown away. */
  dropped = false;

  constructor(
    readonly userId: string,
    private readonly limiter: LeasedUserRateLimiter,
    /** Rules before the first lease and while a refill is slow: one lease's worth, at the rate. */
    private readonly provisional: TokenBucket,
    /** Rules while the store is unreachable. */
    private readonly local: TokenBucket,
  ) {}

  take(now: number): boolean {
    if (this.lease >= 1) {
      this.lease -= 1;
      if (this.lease < this.limiter.lowWater) this.limiter.want(this, now);
      return true;
    }
    this.limiter.want(this, now);
    if (!this.limiter.storeUp) return this.local.take(now);
    // Waiting for the first lease, or for a refill slower than SLOW_REFILL_MS (Redis failing
    // over): the provisional bucket decides, so a slow Redis does not refuse a user under the rate
    // (a client rejoining its rooms during a failover). A refill in flight for less than that
    // refuses: the lease was spent, so the user is at its rate.
    const waiting = this.pending && (!this.granted || now - this.pendingSince >= SLOW_REFILL_MS);
    return waiting && this.provisional.take(now);
  }
}
