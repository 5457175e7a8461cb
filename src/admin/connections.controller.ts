import { Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { BUS, Bus } from '../bus/bus';
import { PRESENCE_STORE, PresenceStore } from '../cluster/presence-store';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse } from '@nestjs/swagger';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config';
import { OutboundService } from '../delivery/outbound.service';
import { CloseCode } from '../protocol';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { Session } from '../registry/session';
import { AdminActor, AdminApi, ApiValidationResponse } from './admin-api.decorator';
import { ClosedCount, ConnectionPage, ConnectionQueryDto, ConnectionView, PAGE_LIMIT_DEFAULT, UserParamDto } from './dto/connection.dto';
import { ErrorView } from './dto/error.dto';
import { sessionPage } from './session-page';

export const KICK_REASON = 'kicked by an administrator';

/** The sessions of this node: list, inspect, close (4503). */
@AdminApi('admin: connections')
@Controller('admin')
export class ConnectionsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
    private readonly outbound: OutboundService,
    @Inject(PRESENCE_STORE) private readonly presence: PresenceStore,
    @Inject(BUS) private readonly bus: Bus,
    @InjectPinoLogger(ConnectionsController.name) private readonly logger: PinoLogger,
  ) {}

  @Get('connections')
  @ApiOkResponse({ type: ConnectionPage })
  @ApiValidationResponse()
  list(@Query() { user, room, node, limit = PAGE_LIMIT_DEFAULT, cursor }: ConnectionQueryDto): ConnectionPage {
    if (node !== undefined && node !== this.config.nodeId) return { items: [], nextCursor: null };
    const candidates = room ? this.registry.inRoom(room) : user ? this.registry.ofUser(user) : this.registry.all();
    const accept = (s: Session) => user === undefined || s.userId === user;
    const page = sessionPage(candidates, !room, accept, cursor ? Number(cursor) : 0, limit);
    return { items: page.sessions.map((s) => this.view(s)), nextCursor: page.next === null ? null : String(page.next) };
  }

  @Get('connections/:id')
  @ApiOkResponse({ type: ConnectionView })
  @ApiNotFoundResponse({ type: ErrorView, description: 'No such connection on this node' })
  get(@Param('id') id: string): ConnectionView {
    return this.view(this.sessionOrFail(id));
  }

  @Delete('connections/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Closing with 4503' })
  @ApiNotFoundResponse({ type: ErrorView, description: 'No such connection on any node' })
  async kick(@Param('id') id: string, @AdminActor() actor: string): Promise<void> {
    const session = this.registry.get(id);
    if (session) {
      this.outbound.close(session, CloseCode.Kicked, KICK_REASON);
    } else {
      // Cluster mode: the session may live on another node; its node closes it.
      const node = await this.presence.nodeOf(id);
      if (!node) throw new NotFoundException('no such connection');
      await this.bus.kick(node, id);
    }
    this.logger.info({ actor, sessionId: id }, 'admin: connection kicked');
  }

  @Delete('users/:userId/connections')
  @ApiOkResponse({ type: ClosedCount, description: 'Every session of the user on this node is closing with 4503 (closed: 0 if none)' })
  @ApiValidationResponse()
  kickUser(@Param() { userId }: UserParamDto, @AdminActor() actor: string): ClosedCount {
    const sessions = [...this.registry.ofUser(userId)].filter((s) => !s.closing);
    for (const session of sessions) this.outbound.close(session, CloseCode.Kicked, KICK_REASON);
    this.logger.info({ actor, userId, sessions: sessions.length }, 'admin: user kicked');
    return { closed: sessions.length };
  }

  private sessionOrFail(id: string): Session {
    const session = this.registry.get(id);
    if (!session) throw new NotFoundException('no such connection');
    return session;
  }

  private view(s: Session): ConnectionView {
    return {
      id: s.id,
      userId: s.userId,
      node: this.config.nodeId,
      rooms: [...s.rooms],
      connectedAt: new Date(s.connectedAt).toISOString(),
      lastActivityAt: new Date(s.lastActivityAt).toISOString(),
      remoteAddress: s.remoteAddress,
    };
  }
}
