import { LeasedUserRateLimiter, LeaseGrant, LeaseRequest, LeaseSource, leaseSizeFor, RETRY_AFTER_FAILURE_MS, SLOW_REFILL_MS } from './leased-user-rate-limiter';
import { InMemoryUserRateLimiter } from './user-rate-limiter.memory';

/** A shared bucket per user like the Redis script's, on the test's clock; `fail` makes batches reject. */
class FakeSource implements LeaseSource {
  readonly buckets = new Map<string, { tokens: number; ts: number }>();
  readonly calls: LeaseRequest[][] = [];
  fail = false;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly clock: () => number,
  ) {}
  async grant(requests: LeaseRequest[]): Promise<LeaseGrant[]> {
    this.calls.push(requests);
    if (this.fail) throw new Error('down');
    const now = this.clock();
    return requests.map(({ userId, want }) => {
      const b = this.buckets.get(userId) ?? { tokens: this.burst, ts: now };
      b.tokens = Math.min(this.burst, b.tokens + ((now - b.ts) * this.rate) / 1000);
      b.ts = now;
      const grant = Math.min(want, Math.floor(b.tokens));
      b.tokens -= grant;
      this.buckets.set(userId, b);
      return { granted: grant, left: Math.floor(b.tokens) };
    });
  }
}

/** Nodes sharing one FakeSource, a fake clock, and batches flushed by `settle()`. */
function cluster(rate: number, burst: number, nodes: number) {
  let now = 1_000_000;
  const clock = () => now;
  const source = new FakeSource(rate, burst, clock);
  const pending: (() => void)[] = [];
  const limiters = Array.from({ length: nodes }, () => new LeasedUserRateLimiter(rate, burst, source, clock, (flush) => pending.push(flush)));
  const settle = async () => {
    while (pending.length) {
      pending.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { source, limiters, settle, clock, advance: (ms: number) => (now += ms) };
}

describe('LeasedUserRateLimiter', () => {
  it('sizes the lease at a quarter second of the rate, at most the burst', () => {
    expect(leaseSizeFor(200, 400)).toBe(50);
    expect(leaseSizeFor(200, 10)).toBe(10);
    expect(leaseSizeFor(1, 1)).toBe(1);
  });

  it('lets a provisional lease decide until the first lease arrives, then takes from the lease without asking the source per frame', async () => {
    const { limiters, source, settle, clock } = cluster(100, 100, 1);
    const budget = limiters[0].acquire('u');
    // A client's first frames (its joins) are not refused for a Redis round trip, up to one lease.
    let provisional = 0;
    for (let i = 0; i < 100; i++) if (budget.take(clock())) provisional++;
    expect(provisional).toBe(leaseSizeFor(100, 100));
    await settle();
    let accepted = 0;
    for (let i = 0; i < 20; i++) if (budget.take(clock())) accepted++;
    expect(accepted).toBe(20);
    expect(source.calls.length).toBeLessThanOrEqual(2);
  });

  it('refuses while a refill is briefly in flight, and lets the provisional lease decide once it is slower than SLOW_REFILL_MS', async () => {
    const { limiters, settle, clock, advance } = cluster(100, 100, 1);
    const budget = limiters[0].acquire('u');
    await settle();
    while (budget.take(clock()));
    // The lease is spent and its refill not answered yet: the user is at its rate.
    expect(budget.take(clock())).toBe(false);
    advance(SLOW_REFILL_MS);
    expect(budget.take(clock())).toBe(true);
  });

  it('batches the refills of every user due in one turn into one call', async () => {
    const { limiters, source, settle, clock } = cluster(100, 100, 1);
    for (const user of ['a', 'b', 'c']) limiters[0].acquire(user);
    await settle();
    expect(source.calls).toHaveLength(1);
    expect(source.calls[0].map((r) => r.userId)).toEqual(['a', 'b', 'c']);
    expect(clock()).toBeGreaterThan(0);
  });

  it('shares one budget between nodes: a flood through two nodes gets burst + rate x T + nodes x lease at most', async () => {
    const rate = 100;
    const burst = 100;
    const { limiters, source, settle, clock, advance } = cluster(rate, burst, 2);
    const budgets = limiters.map((limiter) => limiter.acquire('u'));
    await settle();
    let accepted = 0;
    // 2 s in 5 ms steps, each node offered 10 frames a step (4,000/s in all).
    for (let step = 0; step < 400; step++) {
      for (const budget of budgets) for (let i = 0; i < 10; i++) if (budget.take(clock())) accepted++;
      await settle();
      advance(5);
    }
    const bound = burst + rate * 2 + 2 * limiters[0].leaseSize;
    expect(accepted).toBeLessThanOrEqual(bound);
    expect(accepted).toBeGreaterThanOrEqual(burst + rate * 2 - 2 * limiters[0].leaseSize);
    // Not a call per frame: a few per node per second.
    expect(source.calls.length).toBeLessThan(2 * 2 * 15);
  });

  it('falls back to a local bucket while the source fails, and back to leases once it answers', async () => {
    const { limiters, source, settle, clock, advance } = cluster(10, 10, 1);
    const limiter = limiters[0];
    source.fail = true;
    const budget = limiter.acquire('u');
    await settle();
    expect(limiter.storeUp).toBe(false);
    let accepted = 0;
    for (let i = 0; i < 50; i++) if (budget.take(clock())) accepted++;
    expect(accepted).toBe(10); // the local burst
    await settle();
    expect(source.calls).toHaveLength(1); // no retry before RETRY_AFTER_FAILURE_MS
    source.fail = false;
    advance(RETRY_AFTER_FAILURE_MS);
    budget.take(clock());
    await settle();
    expect(limiter.storeUp).toBe(true);
    expect(source.calls).toHaveLength(2);
  });

  it('when the shared bucket is short of a lease, waits for it to refill one before asking again', async () => {
    const { limiters, source, settle, clock, advance } = cluster(100, 25, 1);
    const budget = limiters[0].acquire('u');
    await settle();
    for (let i = 0; i < 25; i++) expect(budget.take(clock())).toBe(true);
    await settle();
    const calls = source.calls.length;
    for (let i = 0; i < 100; i++) budget.take(clock());
    await settle();
    expect(source.calls.length).toBe(calls);
    advance(limiters[0].refillMs(limiters[0].leaseSize));
    budget.take(clock());
    await settle();
    expect(source.calls.length).toBe(calls + 1);
  });

  it('keeps one budget per user until the last session releases it; a late grant to a dropped budget is ignored', async () => {
    const { limiters, settle } = cluster(100, 100, 1);
    const limiter = limiters[0];
    const a = limiter.acquire('u');
    expect(limiter.acquire('u')).toBe(a);
    limiter.release('u');
    expect(limiter.size).toBe(1);
    limiter.release('u');
    expect(limiter.size).toBe(0);
    await settle();
    expect((a as unknown as { lease: number }).lease).toBe(0);
    expect(limiter.acquire('u')).not.toBe(a);
  });
});

describe('InMemoryUserRateLimiter', () => {
  it("shares one bucket between a user's sessions and drops it with the last", () => {
    const limiter = new InMemoryUserRateLimiter(1, 3);
    const [a, b] = [limiter.acquire('u'), limiter.acquire('u')];
    const now = Date.now();
    expect([a.take(now), b.take(now), a.take(now), b.take(now)]).toEqual([true, true, true, false]);
    expect(limiter.acquire('other').take(now)).toBe(true);
    limiter.release('u');
    limiter.release('u');
    expect(limiter.size).toBe(1);
  });
});
