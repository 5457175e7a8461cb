import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OutboundService } from '../delivery/outbound.service';
import { CloseCode } from '../protocol';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { MinHeap } from './min-heap';

/** The sweep runs this long after each whole second, so a token whose `exp` is that second is already expired. */
export const EXPIRY_SWEEP_OFFSET_MS = 5;

/** Milliseconds from now until a token's `exp` (seconds since the epoch) by this server's clock; 0 once past. */
export const msUntilExp = (exp: number, now = Date.now()): number => Math.max(0, exp * 1000 - now);

/**
 * Closes sessions with 4001 when their token's `exp` passes, within about a second of it (the
 * sweep runs just after every whole second), with one shared timer and no per-connection state:
 * a min-heap of `exp` seconds, each with the set of users holding a token that expires then.
 *
 * Buckets hold user ids, not sessions, so the wheel never pins a closed socket in memory and needs
 * no hook at disconnect: at the due second each user's live sessions are checked against their
 * current `tokenExp` (which `auth.refresh` moves forward; a stale bucket then finds nothing to do).
 * Memory is one entry per distinct (exp, user) among tokens not yet expired.
 */
@Injectable()
export class TokenExpiryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly due = new MinHeap();
  private readonly buckets = new Map<number, Set<string>>();
  private timer?: NodeJS.Timeout;
  /** Sessions closed with 4001 since start. */
  expired = 0;

  constructor(
    private readonly registry: ConnectionRegistryService,
    private readonly outbound: OutboundService,
  ) {}

  /** Call when a token for `userId` starts to be relied on (accepted upgrade, refresh). */
  track(userId: string, exp: number): void {
    let bucket = this.buckets.get(exp);
    if (!bucket) {
      this.buckets.set(exp, (bucket = new Set()));
      this.due.push(exp);
    }
    bucket.add(userId);
  }

  /** Entries waiting (distinct exp seconds): the soak checks this returns to its baseline. */
  get pending(): number {
    return this.buckets.size;
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Closes every session whose token has expired at `nowMs`, among the buckets now due. */
  sweep(nowMs = Date.now()): void {
    const now = nowMs / 1000;
    for (let exp = this.due.peek(); exp !== undefined && exp <= now; exp = this.due.peek()) {
      this.due.pop();
      const users = this.buckets.get(exp);
      this.buckets.delete(exp);
      for (const userId of users ?? []) {
        for (const session of this.registry.ofUser(userId)) {
          if (session.closing || session.tokenExp > now) continue;
          this.expired++;
          this.outbound.close(session, CloseCode.TokenExpired, 'token expired');
        }
      }
    }
  }

  private readonly tick = (): void => {
    this.sweep();
    this.schedule();
  };

  private schedule(): void {
    this.timer = setTimeout(this.tick, 1000 - (Date.now() % 1000) + EXPIRY_SWEEP_OFFSET_MS);
    this.timer.unref();
  }
}
