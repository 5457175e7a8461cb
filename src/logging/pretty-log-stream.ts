import type { DestinationStream, LogFn, LoggerOptions } from 'pino';
import type { PrettyOptions } from 'pino-pretty';

/**
 * LOG_FORMAT=pretty: readable lines for a developer's terminal (colours when it has them).
 * Synchronous and in this thread, unlike pino's worker-thread transports: lines come out in
 * order with what main.ts writes itself (the dev token). Not batched like BufferedLogStream:
 * development is not the hot path.
 */
export function prettyLogStream(): DestinationStream {
  // Loaded only here: pino-pretty is a development dependency (loadConfig refuses pretty without it).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { build } = require('pino-pretty') as typeof import('pino-pretty');
  const options: PrettyOptions = {
    sync: true,
    destination: 1,
    ignore: 'pid,hostname,context',
    messageFormat: '{if context}[{context}] {end}{msg}',
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
  };
  return build(options);
}

/** Nest's start-up inventory: a line per module, controller and route (~50 in all). */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);
const INFO = 30;

/**
 * Pretty mode logs Nest's start-up inventory at debug, not info: `npm run start:dev` prints it on
 * every restart, where it would bury the lines that changed. LOG_LEVEL=debug shows it again.
 */
export const quietStartUpInventory: NonNullable<LoggerOptions['hooks']> = {
  logMethod(args, method, level) {
    const context = (args[0] as { context?: unknown } | null)?.context;
    if (level === INFO && typeof context === 'string' && START_UP_CONTEXTS.has(context)) {
      return (this.debug as LogFn).apply(this, args as Parameters<LogFn>);
    }
    return method.apply(this, args);
  },
};
