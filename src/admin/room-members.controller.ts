import { Controller, Delete, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse } from '@nestjs/swagger';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RoomSubscriptions } from '../messaging/room-subscriptions.service';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { AdminActor, AdminApi, ApiValidationResponse } from './admin-api.decorator';
import { ErrorView } from './dto/error.dto';
import { MemberParamDto, RemovedCount } from './dto/room.dto';

/** Takes a user's sessions out of a room (a leave on their behalf; their token still allows a re-join). */
@AdminApi('admin: rooms')
@Controller('admin/rooms')
export class RoomMembersController {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly subscriptions: RoomSubscriptions,
    @InjectPinoLogger(RoomMembersController.name) private readonly logger: PinoLogger,
  ) {}

  @Delete(':room/members/:userId')
  @ApiOkResponse({ type: RemovedCount, description: 'The room\'s other members got presence.leave for each session' })
  @ApiValidationResponse()
  @ApiNotFoundResponse({ type: ErrorView, description: 'The user has no session in the room on this node' })
  remove(@Param() { room, userId }: MemberParamDto, @AdminActor() actor: string): RemovedCount {
    const sessions = [...this.registry.ofUser(userId)].filter((s) => s.rooms.has(room));
    if (sessions.length === 0) throw new NotFoundException('the user is not in this room');
    for (const session of sessions) this.subscriptions.leave(session, room);
    this.logger.info({ actor, room, userId, sessions: sessions.length }, 'admin: removed from a room');
    return { removed: sessions.length };
  }
}
