import type { PinoLogger } from 'nestjs-pino';
import { orUnavailable } from '../redis/store-failure';
import { RealtimeError } from './realtime-error';

export const DIRECTORY_UNAVAILABLE = 'the cluster directory is unavailable';
export const HISTORY_UNAVAILABLE = 'message history is unavailable';
export const BUS_UNAVAILABLE = 'the cluster bus is unavailable';

/**
 * A call to a shared store (history, the cluster directory, the bus). A failing store is the
 * store's problem, not a bug of the caller: UNAVAILABLE with `what`, and the cause in the log.
 */
export const storeCall = <T>(logger: PinoLogger, what: string, call: () => Promise<T>): Promise<T> =>
  orUnavailable(call, (err) => {
    logger.error({ err }, what);
    return new RealtimeError('UNAVAILABLE', `${what}; retry later`);
  });
