import { SetMetadata } from '@nestjs/common';
import { ErrorCode } from '../protocol';

export const MESSAGE_HANDLER = 'realtime:message-handler';

export interface MessageHandlerOptions {
  /** The envelope `type` this method handles, e.g. `room.join` or `typing.start`. */
  type: string;
  /** class-validator DTO for `data`; unknown properties are refused. */
  dto: new () => object;
  /** Frame type of the reply; `ack` by default (`ping` answers `pong`). */
  replyType?: string;
  /**
   * The error codes this handler itself answers (MessageError codes it throws, FORBIDDEN from its
   * guards). Codes every type may get (COMMON_ERROR_CODES: BAD_JSON, VALIDATION_FAILED, INTERNAL…)
   * are not repeated here. Published in the AsyncAPI document (/docs/asyncapi.json).
   */
  errors?: ErrorCode[];
}

/**
 * Marks a provider method as the handler of one message type. The method is called with
 * `(session, dto)` after validation; what it returns (or resolves to) becomes the reply's `data`.
 * Throw MessageError for a client error frame. Guards and interceptors (@UseGuards,
 * @UseInterceptors) apply as on any Nest handler, with context type `ws`.
 */
export const MessageHandler = (type: string, dto: new () => object, options: Pick<MessageHandlerOptions, 'replyType' | 'errors'> = {}) =>
  SetMetadata<string, MessageHandlerOptions>(MESSAGE_HANDLER, { type, dto, ...options });
