import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiPayloadTooLargeResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { PRESENCE_STORE, PresenceStore } from '../presence/presence-store';
import { RealtimeService } from '../realtime/realtime.service';
import { AdminActor, AdminApi, ApiValidationResponse } from './admin-api.decorator';
import { PAGE_LIMIT_DEFAULT } from './dto/page.dto';
import { ErrorView } from './dto/error.dto';
import { PublishBodyDto, PublishResult } from './dto/message.dto';
import { http } from './realtime-http';
import { DIRECTORY_UNAVAILABLE, storeCall } from './store-call';
import { RoomDetail, RoomDetailQueryDto, RoomPage, RoomParamDto, RoomQueryDto } from './dto/room.dto';

const HISTORY_TAIL_DEFAULT = 20;

/** Rooms: who is in them, where their stream is, and publishing as "system". */
@AdminApi('admin: rooms')
@Controller('admin/rooms')
export class RoomsController {
  constructor(
    @Inject(PRESENCE_STORE) private readonly directory: PresenceStore,
    private readonly realtime: RealtimeService,
    @InjectPinoLogger(RoomsController.name) private readonly logger: PinoLogger,
  ) {}

  /** Rooms with members on any node, by name. */
  @Get()
  @ApiOkResponse({ type: RoomPage, description: 'Rooms with members on any node; `members` counts sessions on every node' })
  @ApiValidationResponse()
  @ApiServiceUnavailableResponse({ type: ErrorView, description: 'Cluster mode: Redis (the session directory) is unreachable' })
  async list(@Query() { prefix = '', limit = PAGE_LIMIT_DEFAULT, cursor = '' }: RoomQueryDto): Promise<RoomPage> {
    const page = await storeCall(this.logger, DIRECTORY_UNAVAILABLE, () => this.directory.rooms(prefix, cursor, limit));
    return { items: page.items, nextCursor: page.next };
  }

  @Get(':room')
  @ApiOkResponse({ type: RoomDetail })
  @ApiValidationResponse()
  @ApiNotFoundResponse({ type: ErrorView, description: 'Nobody is in the room and it has no message' })
  @ApiServiceUnavailableResponse({ type: ErrorView, description: 'The history store failed' })
  async get(@Param() { room }: RoomParamDto, @Query() { history = HISTORY_TAIL_DEFAULT }: RoomDetailQueryDto): Promise<RoomDetail> {
    const [members, page] = await http(Promise.all([this.realtime.presence(room), this.realtime.history(room, { limit: history })]));
    if (members.length === 0 && page.offset === 0) throw new NotFoundException('no such room');
    return { room, offset: page.offset, epoch: page.epoch, members, history: page.messages };
  }

  @Post(':room/messages')
  @HttpCode(200)
  @ApiOkResponse({ type: PublishResult, description: 'Stored, then delivered to the room as a `message` from "system"' })
  @ApiValidationResponse()
  @ApiPayloadTooLargeResponse({ type: ErrorView, description: 'Body over MAX_PAYLOAD_BYTES' })
  @ApiServiceUnavailableResponse({ type: ErrorView, description: 'The history store failed; nothing was published' })
  async publish(@Param() { room }: RoomParamDto, @Body() { body }: PublishBodyDto, @AdminActor() actor: string): Promise<PublishResult> {
    const ack = await http(this.realtime.publish(room, body));
    this.logger.info({ actor, room, messageId: ack.messageId }, 'admin: published to a room');
    return ack;
  }
}
