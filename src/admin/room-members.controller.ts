import { Controller, Delete, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { BUS, Bus } from '../bus/bus';
import { PRESENCE_STORE, PresenceStore } from '../presence/presence-store';
import { AdminActor, AdminApi, ApiValidationResponse } from './admin-api.decorator';
import { ErrorView } from './dto/error.dto';
import { MemberParamDto, RemovedCount } from './dto/room.dto';
import { BUS_UNAVAILABLE, DIRECTORY_UNAVAILABLE, storeCall } from './store-call';

/** Takes a user's sessions, on every node, out of a room (a leave on their behalf; their token still allows a re-join). */
@AdminApi('admin: rooms')
@Controller('admin/rooms')
export class RoomMembersController {
  constructor(
    @Inject(PRESENCE_STORE) private readonly presence: PresenceStore,
    @Inject(BUS) private readonly bus: Bus,
    @InjectPinoLogger(RoomMembersController.name) private readonly logger: PinoLogger,
  ) {}

  @Delete(':room/members/:userId')
  @ApiOkResponse({ type: RemovedCount, description: "The room's other members got presence.leave for each session; `removed` counts the user's sessions in the room on every node" })
  @ApiValidationResponse()
  @ApiNotFoundResponse({ type: ErrorView, description: 'The user has no session in the room' })
  @ApiServiceUnavailableResponse({ type: ErrorView, description: 'Cluster mode: Redis is unreachable; nothing was done' })
  async remove(@Param() { room, userId }: MemberParamDto, @AdminActor() actor: string): Promise<RemovedCount> {
    const removed = await storeCall(this.logger, DIRECTORY_UNAVAILABLE, async () => (await this.presence.members(room)).filter((m) => m.userId === userId).length);
    if (removed === 0) throw new NotFoundException('the user is not in this room');
    await storeCall(this.logger, BUS_UNAVAILABLE, () => this.bus.control({ type: 'remove-member', room, userId }));
    this.logger.info({ actor, room, userId, sessions: removed }, 'admin: removed from a room');
    return { removed };
  }
}
