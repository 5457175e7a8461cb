import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { signToken } from '../auth/token-signer';
import { APP_CONFIG, AppConfig } from '../config';

class DevTokenQuery {
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'user must be 1-64 characters of A-Z a-z 0-9 _ -' })
  user!: string;
}

/** Development only (see DevModule): tokens for the chat page. */
@ApiExcludeController()
@Controller('dev')
export class DevTokenController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('token')
  async token(@Query() { user }: DevTokenQuery): Promise<{ token: string; expiresInSeconds: number }> {
    const expiresInSeconds = 3600;
    return { token: await signToken(this.config.jwt, { sub: user, rooms: ['*'], ttlSeconds: expiresInSeconds }), expiresInSeconds };
  }
}
