import { Logger } from '@nestjs/common';
import { ErrorCode } from '../protocol';
import { orUnavailable } from '../redis/store-failure';
import { MessageError } from './message-error';

const logger = new Logger('Stores');

/** A call to a shared store (history, cluster presence, the bus); a failure is logged and answered UNAVAILABLE. */
export const fromStore = <T>(call: () => Promise<T>): Promise<T> =>
  orUnavailable(call, (err) => {
    logger.error(err);
    return new MessageError(ErrorCode.Unavailable, 'a store this request needs is unavailable; nothing was done, retry later');
  });
