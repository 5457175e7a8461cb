import type { AuthRefreshAck } from './protocol';
import type { RealtimeError } from './errors';

/** The refresh is sent once this share of the token's remaining life has passed. */
export const REFRESH_AT_SHARE = 0.8;
/** A failed refresh is retried in half the time left, while more than this is left. */
export const MIN_RETRY_MS = 1000;
/** setTimeout fires at once for delays above 2^31-1 ms (~24.8 days): longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface TokenRefresherOptions {
  /** A fresh token from the app's `getToken()`; rejects with TOKEN_ERROR. */
  fetchToken: () => Promise<string>;
  /** Sends `auth.refresh {token}` on the open connection; resolves with its ack. */
  sendRefresh: (token: string) => Promise<AuthRefreshAck>;
  /** A refresh attempt failed (it is retried while time is left). */
  onError: (error: RealtimeError) => void;
}

/**
 * Keeps an open connection's token from expiring: at 80 % of its remaining life (as the server
 * told it: `tokenExpiresInMs` in the welcome, `expiresInMs` in each ack, so the client's clock
 * does not matter) it asks `getToken()` for a new token and sends `auth.refresh`. A failure is
 * reported and retried in half the time left; when none succeeds the server closes with 4001 and
 * the reconnect fetches a fresh token anyway.
 */
export class TokenRefresher {
  private timer?: ReturnType<typeof setTimeout>;
  /** Bumped by start() and stop(): a refresh in flight for an older connection or expiry is ignored. */
  private generation = 0;

  constructor(private readonly options: TokenRefresherOptions) {}

  /** Plans the refresh for a token that expires in `expiresInMs` (nothing when it is missing or past). */
  start(expiresInMs: number | undefined): void {
    this.stop();
    if (!(typeof expiresInMs === 'number' && expiresInMs > 0 && Number.isFinite(expiresInMs))) return;
    const now = Date.now();
    this.wakeAt(now + expiresInMs * REFRESH_AT_SHARE, now + expiresInMs, this.generation);
  }

  stop(): void {
    this.generation++;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private wakeAt(refreshAt: number, expiresAt: number, generation: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (Date.now() < refreshAt) this.wakeAt(refreshAt, expiresAt, generation);
      else void this.refresh(expiresAt, generation);
    }, Math.min(Math.max(0, refreshAt - Date.now()), MAX_TIMER_MS));
  }

  private async refresh(expiresAt: number, generation: number): Promise<void> {
    try {
      const ack = await this.options.sendRefresh(await this.options.fetchToken());
      if (generation === this.generation) this.start(ack.expiresInMs);
    } catch (error) {
      if (generation !== this.generation) return; // the connection is gone: its close tells the story
      this.options.onError(error as RealtimeError);
      const left = expiresAt - Date.now();
      if (left > 2 * MIN_RETRY_MS) this.wakeAt(Date.now() + left / 2, expiresAt, generation);
    }
  }
}
