import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { APP_CONFIG, AppConfig } from '../config';
import { BufferedLogStream } from './buffered-log-stream';
import { LogLimiter } from './log-limiter';
import { prettyLogStream } from './pretty-log-stream';

/** Where log lines go: JSON batched, or pretty lines through pino-pretty (LOG_FORMAT). */
export const LOG_STREAM = Symbol('LOG_STREAM');

const logStream = (config: AppConfig): DestinationStream => (config.logFormat === 'pretty' ? prettyLogStream() : new BufferedLogStream());

/** Writes the log lines still pending when the application shuts down. */
class LogStreamCloser implements OnApplicationShutdown {
  constructor(@Inject(LOG_STREAM) private readonly stream: DestinationStream) {}

  onApplicationShutdown(): void {
    // Only the JSON stream holds lines back; the pretty one writes each line at once.
    if (this.stream instanceof BufferedLogStream) this.stream.close();
  }
}

@Global()
@Module({
  providers: [LogLimiter, LogStreamCloser, { provide: LOG_STREAM, inject: [APP_CONFIG], useFactory: logStream }],
  exports: [LogLimiter, LOG_STREAM],
})
export class LoggingModule {}
