import { Module } from '@nestjs/common';
import { TypingHandler } from './typing.handler';

/** A message type added from outside the core: see README, "Extending". */
@Module({ providers: [TypingHandler] })
export class TypingModule {}
