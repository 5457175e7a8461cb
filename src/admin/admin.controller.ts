import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { OutboundService } from '../delivery/outbound.service';
import { HeartbeatService } from '../heartbeat/heartbeat.service';
import { RoomPublisher } from '../messaging/room-publisher.service';
import { CloseCode, SYSTEM_SENDER } from '../protocol';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { AdminTokenGuard } from './admin-token.guard';
import { ConnectionView, PublishResult, StatsView } from './dto/admin-responses.dto';
import { ConnectionQueryDto, PublishBodyDto, RoomParamDto } from './dto/admin.dto';

@ApiTags('admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing or wrong admin token' })
@UseGuards(AdminTokenGuard)
@Controller('admin')
export class AdminController {
  private readonly startedAt = Date.now();

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly outbound: OutboundService,
    private readonly publisher: RoomPublisher,
    private readonly heartbeat: HeartbeatService,
  ) {}

  @Get('connections')
  @ApiOkResponse({ type: [ConnectionView] })
  listConnections(@Query() { user, room }: ConnectionQueryDto): ConnectionView[] {
    const sessions = room ? this.registry.inRoom(room) : user ? this.registry.ofUser(user) : this.registry.all();
    return [...sessions].filter((s) => !user || s.userId === user).map(toView);
  }

  @Delete('connections/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Closed with 4503' })
  @ApiNotFoundResponse({ description: 'No such connection' })
  kick(@Param('id') id: string): void {
    const session = this.registry.get(id);
    if (!session) throw new NotFoundException('no such connection');
    this.outbound.close(session, CloseCode.Kicked, 'kicked by an administrator');
  }

  @Post('rooms/:room/messages')
  @ApiOkResponse({ type: PublishResult, description: 'Delivered to the room as a `message` from "system"' })
  @HttpCode(200)
  publish(@Param() { room }: RoomParamDto, @Body() { body }: PublishBodyDto): Promise<PublishResult> {
    return this.publisher.publish(SYSTEM_SENDER, room, body);
  }

  @Get('stats')
  @ApiOkResponse({ type: StatsView })
  stats(): StatsView {
    return {
      connections: this.registry.size,
      rooms: this.registry.roomCount,
      users: this.registry.userCount,
      heartbeatTerminations: this.heartbeat.terminated,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }
}

function toView(s: Session): ConnectionView {
  return {
    id: s.id,
    userId: s.userId,
    rooms: [...s.rooms],
    connectedAt: new Date(s.connectedAt).toISOString(),
    lastActivityAt: new Date(s.lastActivityAt).toISOString(),
    remoteAddress: s.remoteAddress,
  };
}
