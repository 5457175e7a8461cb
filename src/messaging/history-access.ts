import { Logger } from '@nestjs/common';
import { ErrorCode } from '../protocol';
import { MessageError } from './message-error';

const logger = new Logger('HistoryStore');

/** Runs a history store call; a failing store becomes UNAVAILABLE for the client (and is logged). */
export async function fromHistory<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    logger.error(err);
    throw new MessageError(ErrorCode.Unavailable, 'message history is unavailable; nothing was done, retry later');
  }
}
