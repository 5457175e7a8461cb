import { Controller, Header, Headers, HttpCode, HttpException, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { TICKET_STORE, TICKET_TTL_MS, TicketLimitError, TicketStore, TicketStoreUnavailableError } from './ticket-store';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

export class TicketView {
  @ApiProperty({ description: 'Pass as `?ticket=` in the WebSocket URL; valid once, for expiresInSeconds' })
  ticket!: string;
  @ApiProperty({ example: 30 })
  expiresInSeconds!: number;
}

/**
 * POST /auth/ticket: trades the client's JWT (Authorization: Bearer) for a single-use upgrade
 * ticket, so a browser's WebSocket URL never carries the long-lived token itself.
 */
@ApiTags('auth')
@Controller('auth')
export class TicketController {
  constructor(
    private readonly tokens: TokenVerifier,
    @Inject(TICKET_STORE) private readonly store: TicketStore,
  ) {}

  @Post('ticket')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOkResponse({ type: TicketView })
  @ApiUnauthorizedResponse({ description: 'Missing, invalid or expired token' })
  @ApiTooManyRequestsResponse({ description: 'Too many unredeemed tickets for this user (in a cluster: more than 32 issued within 30 s)' })
  @ApiServiceUnavailableResponse({ description: 'JWKS endpoint or ticket store (Redis) unreachable' })
  async issue(@Headers('authorization') authorization?: string): Promise<TicketView> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    try {
      const identity = await this.tokens.verify(token);
      return { ticket: await this.store.issue(identity, TICKET_TTL_MS), expiresInSeconds: TICKET_TTL_MS / 1000 };
    } catch (err) {
      if (err instanceof InvalidTokenError) throw new HttpException(err.message, err.reason === 'unavailable' ? 503 : 401);
      if (err instanceof TicketLimitError) throw new HttpException(err.message, err.scope === 'user' ? 429 : 503);
      if (err instanceof TicketStoreUnavailableError) throw new HttpException('ticket store unavailable', 503);
      throw err;
    }
  }
}
