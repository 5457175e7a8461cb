import { DynamicModule, Global, Module, OnApplicationShutdown } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { BufferedLogStream } from './buffered-log-stream';
import { LogLimiter } from './log-limiter';

/** Writes the log lines still pending when the application shuts down. */
class LogStreamCloser implements OnApplicationShutdown {
  constructor(private readonly stream: DestinationStream) {}

  onApplicationShutdown(): void {
    // Only the JSON stream holds lines back; the pretty one writes each line at once.
    if (this.stream instanceof BufferedLogStream) this.stream.close();
  }
}

@Global()
@Module({ providers: [LogLimiter], exports: [LogLimiter] })
export class LoggingModule {
  static forRoot(stream: DestinationStream): DynamicModule {
    return { module: LoggingModule, providers: [{ provide: LogStreamCloser, useValue: new LogStreamCloser(stream) }] };
  }
}
