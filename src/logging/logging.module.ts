import { Global, Module } from '@nestjs/common';
import { LogLimiter } from './log-limiter';

@Global()
@Module({ providers: [LogLimiter], exports: [LogLimiter] })
export class LoggingModule {}
