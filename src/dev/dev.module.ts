import { Module } from '@nestjs/common';
import { DevTokenController } from './dev-token.controller';

/** Conveniences for local development; AppModule leaves this out in production. */
@Module({ controllers: [DevTokenController] })
export class DevModule {}
