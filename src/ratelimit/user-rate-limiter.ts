/** One user's share of the per-user budget on this node: the frame pipeline takes a token per frame. */
export interface UserBudget {
  /** Takes one token; false when the user is over their rate. Synchronous: never waits for Redis. */
  take(now: number): boolean;
}

/**
 * The per-user rate limit (RATE_LIMIT_USER_PER_SEC / RATE_LIMIT_USER_BURST): every connection of a
 * user shares one budget, on every node when Redis is configured. A node holds one UserBudget per
 * user with sessions here: `acquire` with each session that opens, `release` with each that closes
 * (the budget is dropped with the user's last session on the node).
 */
export interface UserRateLimiter {
  acquire(userId: string): UserBudget;
  release(userId: string): void;
}

export const USER_RATE_LIMITER = Symbol('USER_RATE_LIMITER');

/** The bookkeeping both drivers share: one budget per user present on this node, counted by sessions. */
export abstract class PerUserBudgets<B extends UserBudget> implements UserRateLimiter {
  private readonly budgets = new Map<string, { budget: B; sessions: number }>();

  protected abstract create(userId: string, now: number): B;
  /** Called when the user's last session on this node is gone. */
  protected dropped(_budget: B): void {}

  acquire(userId: string): B {
    let entry = this.budgets.get(userId);
    if (!entry) this.budgets.set(userId, (entry = { budget: this.create(userId, Date.now()), sessions: 0 }));
    entry.sessions += 1;
    return entry.budget;
  }

  release(userId: string): void {
    const entry = this.budgets.get(userId);
    if (!entry || --entry.sessions > 0) return;
    this.budgets.delete(userId);
    this.dropped(entry.budget);
  }

  /** Users with a budget on this node (tests, metrics). */
  get size(): number {
    return this.budgets.size;
  }
}
