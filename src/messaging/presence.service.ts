import { Injectable } from '@nestjs/common';
import { FanoutService } from '../delivery/fanout.service';
import { encodeFrame, PresenceEventData, PresenceMember, ServerMessageType } from '../protocol';
import { ConnectionRegistry } from '../registry/connection-registry.service';
import { Session } from '../registry/session';

/** Tells a room's other members when a session joins or leaves it. */
@Injectable()
export class PresenceService {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly fanout: FanoutService,
  ) {}

  announceJoin(session: Session, room: string): void {
    this.announce(ServerMessageType.PresenceJoin, session, room);
  }

  announceLeave(session: Session, room: string): void {
    this.announce(ServerMessageType.PresenceLeave, session, room);
  }

  members(room: string): PresenceMember[] {
    return [...this.registry.inRoom(room)].map((s) => ({ userId: s.userId, sessionId: s.id }));
  }

  private announce(type: string, session: Session, room: string): void {
    const data: PresenceEventData = { room, userId: session.userId, sessionId: session.id };
    this.fanout.toRoom(room, encodeFrame({ type, data }), session);
  }
}
