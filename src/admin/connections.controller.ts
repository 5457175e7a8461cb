import { Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { PRESENCE_STORE, PresenceStore, SessionRecord } from '../presence/presence-store';
import { sessionRecord } from '../presence/presence-store.memory';
import { APP_CONFIG, AppConfig } from '../config';
import { RealtimeService } from '../realtime/realtime.service';
import { ConnectionRegistryService } from '../registry/connection-registry.service';
import { AdminActor, AdminApi, ApiValidationResponse } from './admin-api.decorator';
import { ClosedCount, ConnectionPage, ConnectionQueryDto, ConnectionView, UserParamDto } from './dto/connection.dto';
import { PAGE_LIMIT_DEFAULT } from './dto/page.dto';
import { ErrorView } from './dto/error.dto';
import { http } from './realtime-http';
import { DIRECTORY_UNAVAILABLE, storeCall } from './store-call';

/**
 * The sessions of the service: list, inspect, close (4503). With Redis, on every node, from the
 * cluster directory (PresenceStore); this node's own sessions are shown as they are right now.
 */
@AdminApi('admin: connections')
@ApiServiceUnavailableResponse({ type: ErrorView, description: 'Cluster mode: Redis (the session directory) is unreachable' })
@Controller('admin')
export class ConnectionsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistryService,
    private readonly realtime: RealtimeService,
    @Inject(PRESENCE_STORE) private readonly presence: PresenceStore,
    @InjectPinoLogger(ConnectionsController.name) private readonly logger: PinoLogger,
  ) {}

  @Get('connections')
  @ApiOkResponse({ type: ConnectionPage, description: 'Every node\'s sessions in connection order' })
  @ApiValidationResponse()
  async list(@Query() { user, room, node, limit = PAGE_LIMIT_DEFAULT, cursor }: ConnectionQueryDto): Promise<ConnectionPage> {
    const query = { user, room, node, afterSeq: cursor ? Number(cursor) : 0, limit };
    const page = await storeCall(this.logger, DIRECTORY_UNAVAILABLE, () => this.presence.sessions(query));
    return { items: page.sessions.map((r) => this.view(r)), nextCursor: page.next === null ? null : String(page.next) };
  }

  @Get('connections/:id')
  @ApiOkResponse({ type: ConnectionView })
  @ApiNotFoundResponse({ type: ErrorView, description: 'No such connection on any node' })
  async get(@Param('id') id: string): Promise<ConnectionView> {
    const local = this.registry.get(id);
    const record = local ? sessionRecord(local, this.config.nodeId) : await storeCall(this.logger, DIRECTORY_UNAVAILABLE, () => this.presence.session(id));
    if (!record) throw new NotFoundException('no such connection');
    return this.view(record);
  }

  @Delete('connections/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Closing with 4503, by the node holding it' })
  @ApiNotFoundResponse({ type: ErrorView, description: 'No such connection on any node' })
  async kick(@Param('id') id: string, @AdminActor() actor: string): Promise<void> {
    await http(this.realtime.disconnectSession(id));
    this.logger.info({ actor, sessionId: id }, 'admin: connection kicked');
  }

  @Delete('users/:userId/connections')
  @ApiOkResponse({ type: ClosedCount, description: 'Every session of the user, on every node, is closing with 4503 (closed: 0 if none)' })
  @ApiValidationResponse()
  async kickUser(@Param() { userId }: UserParamDto, @AdminActor() actor: string): Promise<ClosedCount> {
    const { closed } = await http(this.realtime.disconnectUser(userId));
    this.logger.info({ actor, userId, sessions: closed }, 'admin: user kicked');
    return { closed };
  }

  /** This node's sessions as they are now; the others' as the directory has them. */
  private view(record: SessionRecord): ConnectionView {
    const local = record.nodeId === this.config.nodeId ? this.registry.get(record.id) : undefined;
    const r = local ? sessionRecord(local, this.config.nodeId) : record;
    return {
      id: r.id,
      userId: r.userId,
      node: r.nodeId,
      rooms: r.rooms,
      connectedAt: new Date(r.connectedAt).toISOString(),
      lastActivityAt: new Date(r.lastActivityAt).toISOString(),
      remoteAddress: r.remoteAddress,
    };
  }
}
