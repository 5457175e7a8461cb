import { DynamicModule, Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { BufferedLogStream } from './buffered-log-stream';
import { LogLimiter } from './log-limiter';

/** Writes the log lines still pending when the application shuts down. */
class LogStreamCloser implements OnApplicationShutdown {
  constructor(private readonly stream: BufferedLogStream) {}

  onApplicationShutdown(): void {
    this.stream.close();
  }
}

@Global()
@Module({ providers: [LogLimiter], exports: [LogLimiter] })
export class LoggingModule {
  static forRoot(stream: BufferedLogStream): DynamicModule {
    return { module: LoggingModule, providers: [{ provide: LogStreamCloser, useValue: new LogStreamCloser(stream) }] };
  }
}
