import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiPayloadTooLargeResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { BUS, Bus } from '../bus/bus';
import { PRESENCE_STORE, PresenceStore } from '../presence/presence-store';
import { BroadcastData, encodeFrame, ServerMessageType, SYSTEM_SENDER } from '../protocol';
import { AdminActor, AdminApi, ApiValidationResponse } from './admin-api.decorator';
import { ErrorView } from './dto/error.dto';
import { BUS_UNAVAILABLE, DIRECTORY_UNAVAILABLE, storeCall } from './store-call';
import { DeliveryResult, PublishBodyDto } from './dto/message.dto';

/** An announcement to every connected session (not stored: there is no history for it). */
@AdminApi('admin: broadcast')
@Controller('admin/broadcast')
export class BroadcastController {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(PRESENCE_STORE) private readonly presence: PresenceStore,
    @InjectPinoLogger(BroadcastController.name) private readonly logger: PinoLogger,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: DeliveryResult, description: 'Every session, on every node, gets a `broadcast` frame from "system"; `delivered` counts the sessions connected when it was sent' })
  @ApiValidationResponse()
  @ApiPayloadTooLargeResponse({ type: ErrorView, description: 'Body over MAX_PAYLOAD_BYTES' })
  @ApiServiceUnavailableResponse({ type: ErrorView, description: 'Cluster mode: Redis unreachable; nothing was sent' })
  async broadcast(@Body() { body }: PublishBodyDto, @AdminActor() actor: string): Promise<DeliveryResult> {
    const data: BroadcastData = { from: SYSTEM_SENDER, body, messageId: randomUUID(), ts: Date.now() };
    const delivered = await storeCall(this.logger, DIRECTORY_UNAVAILABLE, () => this.presence.sessionCount());
    await storeCall(this.logger, BUS_UNAVAILABLE, () => this.bus.toAll(encodeFrame({ type: ServerMessageType.Broadcast, data })));
    this.logger.info({ actor, messageId: data.messageId, delivered }, 'admin: broadcast');
    return { messageId: data.messageId, delivered };
  }
}
