import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiPayloadTooLargeResponse } from '@nestjs/swagger';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { OutboundService } from '../delivery/outbound.service';
import { CloseCode } from '../protocol';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { RevocationList } from '../revocation/revocation-list.service';
import { AdminActor, AdminApi, ApiValidationResponse } from './admin-api.decorator';
import { KICK_REASON } from './connections.controller';
import { ErrorView } from './dto/error.dto';
import { RevocationDto, RevocationResult, RevocationView } from './dto/revocation.dto';

/** Token revocation: live sessions close (4503) and the upgrade refuses the tokens until `until`. */
@AdminApi('admin: revocations')
@Controller('admin/revocations')
export class RevocationsController {
  constructor(
    private readonly revocations: RevocationList,
    private readonly registry: ConnectionRegistry,
    private readonly outbound: OutboundService,
    @InjectPinoLogger(RevocationsController.name) private readonly logger: PinoLogger,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: RevocationResult })
  @ApiValidationResponse()
  @ApiPayloadTooLargeResponse({ type: ErrorView, description: 'Body over MAX_PAYLOAD_BYTES' })
  revoke(@Body() { userId, jti, until }: RevocationDto, @AdminActor() actor: string): RevocationResult {
    const untilMs = Date.parse(until);
    this.revocations.revoke({ userId, jti, untilMs });
    const sessions = [...this.registry.all()].filter((s) => !s.closing && (s.userId === userId || (jti !== undefined && s.tokenId === jti)));
    for (const session of sessions) this.outbound.close(session, CloseCode.Kicked, KICK_REASON);
    this.logger.info({ actor, userId, jti, until, closed: sessions.length }, 'admin: tokens revoked');
    return { userId, jti, until: new Date(untilMs).toISOString(), closed: sessions.length };
  }

  @Get()
  @ApiOkResponse({ type: [RevocationView], description: 'The revocations in force on this node' })
  list(): RevocationView[] {
    return this.revocations.active().map(({ userId, jti, untilMs }) => ({ userId, jti, until: new Date(untilMs).toISOString() }));
  }
}
