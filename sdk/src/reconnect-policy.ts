import { CloseCode, shouldReconnect } from './protocol';

/** The code the policy uses for a socket that closed without ever opening (HTTP refusal, network). */
export const NEVER_OPENED_CODE = 1006;

export interface CloseFacts {
  /** The close code the socket reported (or the SDK synthesised). */
  code: number;
  /** Whether the socket ever fired `open`. */
  opened: boolean;
  /** Whether the app supplied `getToken`, so a fresh token can be fetched. */
  canRefreshToken: boolean;
}

export interface CloseDecision {
  reconnect: boolean;
  /** Call `getToken()` before the next attempt. */
  refreshToken: boolean;
}

/**
 * What to do after a socket closed (the app did not call close()):
 * - never opened: treated as 1006 (reconnect). The refusal may be a 401 for an expired token, which
 *   browsers do not expose, so a fresh token is fetched first when `getToken` exists;
 * - 4001 token expired: reconnect with a fresh token, or stop when there is no `getToken` (the same
 *   token would be refused with 401 forever);
 * - anything else: `shouldReconnect(code)` from the protocol (4000-4499 and 1001/1006/1011/1012/1013).
 */
export function decideAfterClose({ code, opened, canRefreshToken }: CloseFacts): CloseDecision {
  if (!opened) return { reconnect: shouldReconnect(NEVER_OPENED_CODE), refreshToken: canRefreshToken };
  if (code === CloseCode.TokenExpired) return { reconnect: canRefreshToken, refreshToken: canRefreshToken };
  return { reconnect: shouldReconnect(code), refreshToken: false };
}
