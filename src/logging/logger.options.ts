import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfig } from '../config';
import { quietStartUpInventory } from './pretty-log-stream';

/**
 * pino to stdout: JSON batched (BufferedLogStream), or pretty lines (prettyLogStream); query
 * strings (which may hold tokens) and credentials never reach them.
 */
export function loggerOptions(config: AppConfig, stream: DestinationStream): Params {
  return {
    pinoHttp: [
      {
        level: config.logLevel,
        // Probes and scrapes arrive every few seconds and say nothing: no request line for them.
        autoLogging: { ignore: (req) => /^\/(health|metrics)(\/|\?|$)/.test(req.url ?? '') },
        redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["sec-websocket-protocol"]'],
        serializers: {
          req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, url: withoutQuery(req.url) }),
        },
        ...(config.logFormat === 'pretty' && { hooks: quietStartUpInventory }),
      },
      stream,
    ],
  };
}

/** Query strings can hold tokens (`?token=`, `?ticket=`): they must not be logged. */
function withoutQuery(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}
