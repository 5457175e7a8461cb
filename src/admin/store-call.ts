import type { PinoLogger } from 'nestjs-pino';
import { storeCall as realtimeStoreCall } from '../realtime/store-call';
import { http } from './realtime-http';

export { BUS_UNAVAILABLE, DIRECTORY_UNAVAILABLE } from '../realtime/store-call';

/**
 * A call to a shared store (history, the cluster directory) for what RealtimeService does not do
 * (lists, stats, removals): like its calls, 503 with `message` and the cause in the log.
 */
export const storeCall = <T>(logger: PinoLogger, message: string, call: () => Promise<T>): Promise<T> => http(realtimeStoreCall(logger, message, call));
