import { Body, Controller, HttpCode, Param, Post, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiPayloadTooLargeResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DirectMessagesService } from '../messaging/direct-messages.service';
import { MessageError } from '../messaging/message-error';
import { SYSTEM_SENDER } from '../protocol';
import { AdminActor, AdminApi, ApiValidationResponse } from './admin-api.decorator';
import { ErrorView } from './dto/error.dto';
import { DeliveryResult, PublishBodyDto } from './dto/message.dto';
import { UserParamDto } from './dto/connection.dto';

/** Direct messages from "system" to every session of a user. */
@AdminApi('admin: users')
@Controller('admin/users')
export class UsersController {
  constructor(
    private readonly direct: DirectMessagesService,
    @InjectPinoLogger(UsersController.name) private readonly logger: PinoLogger,
  ) {}

  @Post(':userId/messages')
  @HttpCode(200)
  @ApiOkResponse({ type: DeliveryResult, description: 'A `direct` frame from "system"; delivered: 0 when the user is offline' })
  @ApiValidationResponse()
  @ApiPayloadTooLargeResponse({ type: ErrorView, description: 'Body over MAX_PAYLOAD_BYTES' })
  @ApiServiceUnavailableResponse({ type: ErrorView, description: 'The session directory failed; nothing was sent' })
  async send(@Param() { userId }: UserParamDto, @Body() { body }: PublishBodyDto, @AdminActor() actor: string): Promise<DeliveryResult> {
    let result: DeliveryResult;
    try {
      result = await this.direct.send(SYSTEM_SENDER, userId, body);
    } catch (err) {
      if (err instanceof MessageError) throw new ServiceUnavailableException(err.message);
      throw err;
    }
    this.logger.info({ actor, userId, messageId: result.messageId, delivered: result.delivered }, 'admin: direct message');
    return result;
  }
}
