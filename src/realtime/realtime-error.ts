/**
 * Why a RealtimeService call was refused; nothing was published, sent or closed when it throws
 * one of these (`UNAVAILABLE` after a partial disconnect excepted: see disconnectUser).
 * - `INVALID_ROOM`: not 1-128 characters of A-Z a-z 0-9 : _ . - (the protocol's room names).
 * - `INVALID_USER`: a user id that is not a string of 1-256 characters.
 * - `INVALID_BODY`: no body (undefined), or one JSON cannot encode (a BigInt, a cycle).
 * - `PAYLOAD_TOO_LARGE`: `{"body":...}` as JSON is over MAX_PAYLOAD_BYTES, the limit of the admin
 *   API's request bodies.
 * - `INVALID_CODE`: a close code other than 1000 or 4000-4999.
 * - `INVALID_PAGE`: a history `limit` outside 0-100 or a `before` that is not an integer >= 1.
 * - `NOT_FOUND`: disconnectSession: no node holds that session.
 * - `UNAVAILABLE`: a shared store (history, the cluster directory, the bus: Redis in cluster mode)
 *   failed; retry later.
 */
export type RealtimeErrorCode =
  | 'INVALID_ROOM'
  | 'INVALID_USER'
  | 'INVALID_BODY'
  | 'PAYLOAD_TOO_LARGE'
  | 'INVALID_CODE'
  | 'INVALID_PAGE'
  | 'NOT_FOUND'
  | 'UNAVAILABLE';

/** Thrown by RealtimeService; `code` is stable, `message` is for people. */
export class RealtimeError extends Error {
  override name = 'RealtimeError';
  constructor(
    readonly code: RealtimeErrorCode,
    message: string,
  ) {
    super(message);
  }
}
