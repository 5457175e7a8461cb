import { Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config';
import { DevTokenController } from './dev-token.controller';

/** Conveniences for local development: GET /dev/token, on only when config.devTokens is set. */
@Module({ controllers: [DevTokenController] })
export class DevModule implements OnApplicationBootstrap {
  private readonly log = new Logger('DevModule');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Loud on purpose: on a server others can reach this hands out tokens for every room. */
  onApplicationBootstrap(): void {
    if (!this.config.devTokens) return;
    this.log.warn('GET /dev/token is on: anyone who can reach this server can mint a token for any user and every room (no key configured, or DEV_TOKENS=true)');
  }
}
