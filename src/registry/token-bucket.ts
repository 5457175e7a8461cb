/**
 * Per-connection token bucket: `ratePerSec` refill, `burst` capacity. Two numbers and no timer,
 * so it costs nothing per idle connection (a keyed limiter library would hold a timer per key).
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  /** Messages refused in a row; reset by the first one accepted. */
  refusedInARow = 0;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes one token; false when the bucket is empty. */
  take(now: number): boolean {
    const elapsedMs = now - this.updatedAt;
    if (elapsedMs > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.ratePerSec) / 1000);
      this.updatedAt = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.refusedInARow = 0;
      return true;
    }
    this.refusedInARow += 1;
    return false;
  }
}
