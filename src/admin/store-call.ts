import { ServiceUnavailableException } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';

/**
 * Runs a call to a shared store (history, the cluster directory). A failing store is the store's
 * problem, not a bug in the API: 503 with `message`, and the cause in the log.
 */
export async function storeCall<T>(logger: PinoLogger, message: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    logger.error({ err }, `admin: ${message}`);
    throw new ServiceUnavailableException(`${message}; retry later`);
  }
}

export const DIRECTORY_UNAVAILABLE = 'the cluster directory is unavailable';
export const HISTORY_UNAVAILABLE = 'message history is unavailable';
