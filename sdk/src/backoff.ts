export interface BackoffOptions {
  /** Base delay, and the cap of the first retry. Default 500. */
  minMs?: number;
  /** Largest delay. Default 20000. */
  maxMs?: number;
}

export const DEFAULT_BACKOFF = { minMs: 500, maxMs: 20_000 } as const;

/**
 * Exponential backoff with jitter. Retry number `n` (0-based) waits a uniformly random delay in
 * [minMs / 2, cap], where cap = min(maxMs, minMs * 2^n). This is "full jitter" with a floor: the
 * spread de-synchronises clients that lost the same server, and the floor of minMs / 2 keeps a
 * client from hammering a server that refuses it at once. `reset()` (after a successful welcome)
 * starts again from n = 0.
 */
export class Backoff {
  readonly minMs: number;
  readonly maxMs: number;
  private attempt = 0;

  constructor(options: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.minMs = options.minMs ?? DEFAULT_BACKOFF.minMs;
    this.maxMs = options.maxMs ?? DEFAULT_BACKOFF.maxMs;
    if (!(this.minMs > 0) || !Number.isFinite(this.minMs)) throw new RangeError('backoff.minMs must be a positive number');
    if (!(this.maxMs >= this.minMs) || !Number.isFinite(this.maxMs)) throw new RangeError('backoff.maxMs must be a number >= minMs');
  }

  /** Retries scheduled since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The upper bound of retry `n`. */
  capFor(n: number): number {
    return Math.min(this.maxMs, this.minMs * 2 ** Math.min(n, 52));
  }

  /** The delay before the next retry; advances the attempt counter. */
  next(): number {
    const cap = this.capFor(this.attempt);
    const floor = this.minMs / 2;
    this.attempt++;
    return Math.round(floor + this.random() * (cap - floor));
  }

  reset(): void {
    this.attempt = 0;
  }
}
