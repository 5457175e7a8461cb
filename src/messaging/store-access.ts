import { Logger } from '@nestjs/common';
import { ErrorCode } from '../protocol';
import { MessageError } from './message-error';

const logger = new Logger('Stores');

/**
 * Runs a call to a shared store (history, cluster presence, the bus); a failure becomes
 * UNAVAILABLE for the client (and is logged): nothing is queued or acked into the void.
 */
export async function fromStore<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    logger.error(err);
    throw new MessageError(ErrorCode.Unavailable, 'a store this request needs is unavailable; nothing was done, retry later');
  }
}
