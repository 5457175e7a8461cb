import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DevTokenController } from './dev-token.controller';

/** Conveniences for local development; AppModule loads this only when config.devTokens is set. */
@Module({ controllers: [DevTokenController] })
export class DevModule implements OnApplicationBootstrap {
  private readonly log = new Logger('DevModule');

  /** Loud on purpose: on a server others can reach this hands out tokens for every room. */
  onApplicationBootstrap(): void {
    this.log.warn('GET /dev/token is on: anyone who can reach this server can mint a token for any user and every room (no key configured, or DEV_TOKENS=true)');
  }
}
