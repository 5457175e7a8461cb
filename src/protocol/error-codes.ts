/** Codes carried by `error` frames (`{"type":"error","id","data":{"code","message","details"?}}`). */
export const ErrorCode = {
  /** The text frame is not parsable JSON. */
  BadJson: 'BAD_JSON',
  /** Valid JSON but not an envelope, or nested deeper than MAX_JSON_DEPTH. */
  BadEnvelope: 'BAD_ENVELOPE',
  /** No handler is registered for `type`. */
  UnknownType: 'UNKNOWN_TYPE',
  /** `data` failed the type's DTO validation; `details` lists the fields. */
  ValidationFailed: 'VALIDATION_FAILED',
  /** The token does not permit this action (e.g. room not in the `rooms` claim). */
  Forbidden: 'FORBIDDEN',
  /** The request names something that does not exist for this user (a `receipt.send` for a message not in the user's stream). */
  NotFound: 'NOT_FOUND',
  /** Over the per-connection rate limit; the message was not processed. */
  RateLimited: 'RATE_LIMITED',
  /** A store the request needs is unreachable (e.g. history); nothing was done: retry later. */
  Unavailable: 'UNAVAILABLE',
  /** The handler failed unexpectedly; the connection stays open. */
  Internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Codes any client type may get, whatever its handler: the frame pipeline's own (parse, envelope,
 * rate limit, handler lookup, DTO validation) and INTERNAL for a handler that throws anything but a
 * MessageError. A handler declares only the codes it answers itself (`@MessageHandler(..., {errors})`).
 */
export const COMMON_ERROR_CODES: readonly ErrorCode[] = [
  ErrorCode.BadJson,
  ErrorCode.BadEnvelope,
  ErrorCode.RateLimited,
  ErrorCode.UnknownType,
  ErrorCode.ValidationFailed,
  ErrorCode.Internal,
];
