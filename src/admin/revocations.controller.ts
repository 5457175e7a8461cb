import { Body, Controller, Get, Inject, Post, ServiceUnavailableException } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiPayloadTooLargeResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { PRESENCE_STORE, PresenceStore } from '../presence/presence-store';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { RevocationService } from '../revocation/revocation.service';
import { AdminActor, AdminApi, ApiValidationResponse } from './admin-api.decorator';
import { ErrorView } from './dto/error.dto';
import { RevocationDto, RevocationResult, RevocationView } from './dto/revocation.dto';
import { DIRECTORY_UNAVAILABLE, storeCall } from './store-call';

/** Token revocation, on every node: live sessions close (4503) and the upgrade refuses the tokens until `until`. */
@AdminApi('admin: revocations')
@Controller('admin/revocations')
export class RevocationsController {
  constructor(
    private readonly revocations: RevocationService,
    private readonly registry: ConnectionRegistryService,
    @Inject(PRESENCE_STORE) private readonly presence: PresenceStore,
    @InjectPinoLogger(RevocationsController.name) private readonly logger: PinoLogger,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: RevocationResult, description: 'In force on every node; `closed` counts the matching sessions the cluster directory listed' })
  @ApiValidationResponse()
  @ApiPayloadTooLargeResponse({ type: ErrorView, description: 'Body over MAX_PAYLOAD_BYTES' })
  @ApiServiceUnavailableResponse({ type: ErrorView, description: 'Cluster mode, Redis unreachable: the revocation is in force on this node only; retry' })
  async revoke(@Body() { userId, jti, until }: RevocationDto, @AdminActor() actor: string): Promise<RevocationResult> {
    const untilMs = Date.parse(until);
    const matching = await storeCall(this.logger, DIRECTORY_UNAVAILABLE, () => this.presence.locate({ userId, jti })).catch(() => []);
    const closed = matching.filter(({ id }) => !this.registry.get(id)?.closing).length;
    try {
      await this.revocations.revoke({ userId, jti, untilMs });
    } catch (err) {
      this.logger.error({ err, actor, userId, jti }, 'admin: revocation not shared with the other nodes');
      throw new ServiceUnavailableException('the revocation is in force on this node only: the cluster store is unavailable; retry');
    }
    this.logger.info({ actor, userId, jti, until, closed }, 'admin: tokens revoked');
    return { userId, jti, until: new Date(untilMs).toISOString(), closed };
  }

  @Get()
  @ApiOkResponse({ type: [RevocationView], description: 'The revocations in force on every node' })
  async list(): Promise<RevocationView[]> {
    return (await this.revocations.active()).map(({ userId, jti, untilMs }) => ({ userId, jti, until: new Date(untilMs).toISOString() }));
  }
}
