import { ServiceUnavailableException } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';
import { orUnavailable } from '../redis/store-failure';

/**
 * A call to a shared store (history, the cluster directory). A failing store is the store's
 * problem, not a bug in the API: 503 with `message`, and the cause in the log.
 */
export const storeCall = <T>(logger: PinoLogger, message: string, call: () => Promise<T>): Promise<T> =>
  orUnavailable(call, (err) => {
    logger.error({ err }, `admin: ${message}`);
    return new ServiceUnavailableException(`${message}; retry later`);
  });

export const DIRECTORY_UNAVAILABLE = 'the cluster directory is unavailable';
export const HISTORY_UNAVAILABLE = 'message history is unavailable';
export const BUS_UNAVAILABLE = 'the cluster bus is unavailable';
