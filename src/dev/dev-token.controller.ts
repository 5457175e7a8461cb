import { CanActivate, Controller, Get, Inject, Injectable, NotFoundException, Query, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { signToken } from '../auth/token-signer';
import { APP_CONFIG, AppConfig } from '../config';
import { ValidateRequests } from '../http/validation-exception';

class DevTokenQuery {
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'user must be 1-64 characters of A-Z a-z 0-9 _ -' })
  user!: string;
}

/** The route exists only with config.devTokens; a guard runs before validation, so nothing else answers first. */
@Injectable()
class DevTokensOn implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (!this.config.devTokens) throw new NotFoundException('Cannot GET /dev/token');
    return true;
  }
}

/**
 * Development only: tokens for the chat page, with the ephemeral key or DEV_TOKENS=true (never in
 * production). Otherwise it answers 404, as if it did not exist: the route is always mapped because
 * forRootAsync only knows the configuration after the routes are.
 */
@ApiExcludeController()
@Controller('dev')
@UseGuards(DevTokensOn)
@ValidateRequests()
export class DevTokenController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('token')
  async token(@Query() { user }: DevTokenQuery): Promise<{ token: string; expiresInSeconds: number }> {
    const expiresInSeconds = 3600;
    return { token: await signToken(this.config.jwt, { sub: user, rooms: ['*'], ttlSeconds: expiresInSeconds }), expiresInSeconds };
  }
}
