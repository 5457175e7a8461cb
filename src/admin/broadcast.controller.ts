import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiPayloadTooLargeResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RealtimeService } from '../realtime/realtime.service';
import { AdminActor, AdminApi, ApiValidationResponse } from './admin-api.decorator';
import { ErrorView } from './dto/error.dto';
import { DeliveryResult, PublishBodyDto } from './dto/message.dto';
import { http } from './realtime-http';

/** An announcement to every connected session (not stored: there is no history for it). */
@AdminApi('admin: broadcast')
@Controller('admin/broadcast')
export class BroadcastController {
  constructor(
    private readonly realtime: RealtimeService,
    @InjectPinoLogger(BroadcastController.name) private readonly logger: PinoLogger,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: DeliveryResult, description: 'Every session, on every node, gets a `broadcast` frame from "system"; `delivered` counts the sessions connected when it was sent' })
  @ApiValidationResponse()
  @ApiPayloadTooLargeResponse({ type: ErrorView, description: 'Body over MAX_PAYLOAD_BYTES' })
  @ApiServiceUnavailableResponse({ type: ErrorView, description: 'Cluster mode: Redis unreachable; nothing was sent' })
  async broadcast(@Body() { body }: PublishBodyDto, @AdminActor() actor: string): Promise<DeliveryResult> {
    const result = await http(this.realtime.broadcast(body));
    this.logger.info({ actor, messageId: result.messageId, delivered: result.delivered }, 'admin: broadcast');
    return result;
  }
}
