import { Backoff, BackoffOptions } from './backoff';
import { ClientErrorCode, RealtimeError, RealtimeErrorCode } from './errors';

/**
 * Refusals that say "not now" rather than "no": the server's store is failing over (UNAVAILABLE),
 * the user's budget is spent (RATE_LIMITED), or the reply was late (TIMEOUT).
 */
const TRANSIENT: ReadonlySet<RealtimeErrorCode> = new Set(['UNAVAILABLE', 'RATE_LIMITED', ClientErrorCode.Timeout]);
/** Retries of one request: with the default backoff, about 10 s in all before it is given up. */
export const RECOVERY_RETRIES = 5;
export const RECOVERY_BACKOFF: Required<BackoffOptions> = { minMs: 250, maxMs: 4000 };

export interface RetriedRequest<T> {
  send(): Promise<T>;
  /** false: the app no longer wants it (a room left meanwhile); nothing more is done. */
  wanted(): boolean;
  done(ack: T): void;
  /** Refused for good, or still refused after RECOVERY_RETRIES. */
  failed(error: RealtimeError): void;
}

/**
 * The requests the SDK sends by itself (re-joins and user.recover after a welcome, `delivered`
 * receipts): a transient
 * refusal is retried with backoff; one cut by a disconnect is left for the next welcome (neither
 * `done` nor `failed` is called). `cancel()` stops pending retries when the socket goes away.
 */
export class RetryingRequests {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  run<T>(request: RetriedRequest<T>, backoff = new Backoff(RECOVERY_BACKOFF)): void {
    request.send().then(
      (ack) => {
        if (request.wanted()) request.done(ack);
      },
      (error: RealtimeError) => {
        if (error.code === ClientErrorCode.Disconnected || !request.wanted()) return;
        if (TRANSIENT.has(error.code) && backoff.attempts < RECOVERY_RETRIES) return this.later(request, backoff);
        request.failed(error);
      },
    );
  }

  cancel(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later<T>(request: RetriedRequest<T>, backoff: Backoff): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (request.wanted()) this.run(request, backoff);
    }, backoff.next());
    this.timers.add(timer);
  }
}
