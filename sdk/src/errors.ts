import type { ErrorCode, ErrorData, ErrorDetail } from './protocol';

/** Codes the SDK itself produces (never sent by the server). */
export const ClientErrorCode = {
  /** No reply arrived within `requestTimeoutMs`. */
  Timeout: 'TIMEOUT',
  /** The socket closed (or was not open) before the reply arrived. The request may or may not have been handled. */
  Disconnected: 'DISCONNECTED',
  /** The frame is larger than the server's `maxPayloadBytes`; it was not sent (the server would close with 1009). */
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** The server sent something that is not a JSON envelope. */
  BadFrame: 'BAD_FRAME',
  /** `getToken()` threw or returned something that is not a non-empty string. */
  TokenError: 'TOKEN_ERROR',
  /** The WebSocket could not be created (a malformed URL): the client stops. */
  BadUrl: 'BAD_URL',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** Every code a `RealtimeError` can carry; custom server codes pass through as plain strings. */
export type RealtimeErrorCode = ErrorCode | ClientErrorCode | (string & {});

export interface RealtimeErrorExtra {
  details?: ErrorDetail[];
  /** The room a failed automatic re-join was for. */
  room?: string;
  /** The close code, for errors caused by a close. */
  closeCode?: number;
}

/** A server `error` frame, or a failure detected by the SDK (see `ClientErrorCode`). */
export class RealtimeError extends Error {
  override readonly name = 'RealtimeError';
  readonly code: RealtimeErrorCode;
  readonly details?: ErrorDetail[];
  readonly room?: string;
  readonly closeCode?: number;

  constructor(code: RealtimeErrorCode, message: string, extra: RealtimeErrorExtra = {}) {
    super(message);
    this.code = code;
    if (extra.details !== undefined) this.details = extra.details;
    if (extra.room !== undefined) this.room = extra.room;
    if (extra.closeCode !== undefined) this.closeCode = extra.closeCode;
  }

  /** Builds the error for a server `error` frame's `data` (tolerating a malformed one). */
  static fromFrame(data: unknown): RealtimeError {
    const d = (data ?? {}) as Partial<ErrorData>;
    const code = typeof d.code === 'string' ? d.code : 'INTERNAL';
    const message = typeof d.message === 'string' ? d.message : 'error frame without a message';
    return new RealtimeError(code, message, Array.isArray(d.details) ? { details: d.details } : {});
  }
}
