/**
 * WebSocket close codes the server uses. 4000-4499: the client should reconnect (with backoff);
 * 4500-4999: terminal, do not reconnect without user action. Standard codes follow RFC 6455.
 */
export const CloseCode = {
  /** Server shutting down or restarting: reconnect (to another node). */
  GoingAway: 1001,
  /** A binary frame was sent: this protocol is text (JSON) only. */
  UnsupportedData: 1003,
  /** A frame larger than MAX_PAYLOAD_BYTES. */
  MessageTooBig: 1009,
  /** Unexpected server error. */
  InternalError: 1011,
  /** The token's `exp` passed: reconnect with a fresh token. */
  TokenExpired: 4001,
  /** The socket's unsent buffer exceeded SEND_BUFFER_MAX_BYTES. */
  SlowConsumer: 4008,
  /** This node missed messages of a room the session is in (cluster bus gap): reconnect to recover. */
  Resync: 4012,
  /** Sustained flooding past the rate limit. */
  TooManyRequests: 4009,
  /** Kicked by an administrator. */
  Kicked: 4503,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** The reason sent with CloseCode.Kicked, whether the session was kicked or its token revoked. */
export const KICKED_REASON = 'kicked by an administrator';

/** The reason sent when the host app closes a session with a code of its own (RealtimeService). */
export const DISCONNECTED_REASON = 'disconnected by the server';

const RECONNECT_STANDARD_CODES: ReadonlySet<number> = new Set([1001, 1006, 1011, 1012, 1013]);

/** Whether a client that saw `code` should reconnect (see docs/protocol.md). */
export function shouldReconnect(code: number): boolean {
  if (code >= 4000 && code <= 4499) return true;
  if (code >= 4500 && code <= 4999) return false;
  return RECONNECT_STANDARD_CODES.has(code);
}
