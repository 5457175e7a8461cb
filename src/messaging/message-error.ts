import { ErrorCode, ErrorDetail } from '../protocol';

/** Thrown by handlers (and the pipeline) to answer with an `error` frame; the connection stays open. */
export class MessageError extends Error {
  override name = 'MessageError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}
