import { ClientErrorCode, RealtimeError } from './errors';

/**
 * Where connection tokens come from: the static `token`, and `getToken()` when the token is missing
 * or was marked stale (after a 4001, or an attempt the server may have refused with 401), or when
 * the open connection's token is about to expire (`fresh()`, for `auth.refresh`).
 */
export class TokenSource {
  private stale = false;

  constructor(
    private token: string | undefined,
    private readonly getToken: (() => string | Promise<string>) | undefined,
  ) {}

  get canRefresh(): boolean {
    return this.getToken !== undefined;
  }

  /** The next attempt fetches a fresh token (when `getToken` exists). */
  invalidate(): void {
    this.stale = true;
  }

  /** The token for the next attempt; calls `getToken()` when needed. Rejects with TOKEN_ERROR when it fails. */
  async current(): Promise<string | undefined> {
    if (!this.getToken || (this.token !== undefined && !this.stale)) return this.token;
    return this.fresh();
  }

  /** Always asks `getToken()` (which must exist), and keeps the result for later attempts. Rejects with TOKEN_ERROR. */
  async fresh(): Promise<string> {
    let token: unknown;
    try {
      token = await this.getToken!();
      if (typeof token !== 'string' || token === '') throw new Error('it must return a non-empty string');
    } catch (error) {
      throw new RealtimeError(ClientErrorCode.TokenError, `getToken() failed: ${(error as Error)?.message ?? error}`);
    }
    this.token = token;
    this.stale = false;
    return token;
  }
}
