import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiPayloadTooLargeResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RealtimeService } from '../realtime/realtime.service';
import { AdminActor, AdminApi, ApiValidationResponse } from './admin-api.decorator';
import { ErrorView } from './dto/error.dto';
import { DeliveryResult, PublishBodyDto } from './dto/message.dto';
import { UserParamDto } from './dto/connection.dto';
import { http } from './realtime-http';

/** Direct messages from "system" to every session of a user. */
@AdminApi('admin: users')
@Controller('admin/users')
export class UsersController {
  constructor(
    private readonly realtime: RealtimeService,
    @InjectPinoLogger(UsersController.name) private readonly logger: PinoLogger,
  ) {}

  @Post(':userId/messages')
  @HttpCode(200)
  @ApiOkResponse({ type: DeliveryResult, description: 'A `direct` frame from "system"; delivered: 0 when the user is offline' })
  @ApiValidationResponse()
  @ApiPayloadTooLargeResponse({ type: ErrorView, description: 'Body over MAX_PAYLOAD_BYTES' })
  @ApiServiceUnavailableResponse({ type: ErrorView, description: 'The session directory failed; nothing was sent' })
  async send(@Param() { userId }: UserParamDto, @Body() { body }: PublishBodyDto, @AdminActor() actor: string): Promise<DeliveryResult> {
    const result = await http(this.realtime.sendToUser(userId, body));
    this.logger.info({ actor, userId, messageId: result.messageId, delivered: result.delivered }, 'admin: direct message');
    return result;
  }
}
