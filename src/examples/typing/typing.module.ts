import { Module } from '@nestjs/common';
import { TypingHandler } from './typing.handler';

/** A message type added from outside the core: see docs/extending.md. */
@Module({ providers: [TypingHandler] })
export class TypingModule {}
