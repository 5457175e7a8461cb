import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { FanoutService } from '../../delivery/fanout.service';
import { encodeFrame } from '../../delivery/outbound.service';
import { ClientMessageType, PublishAck, RoomMessageData, ServerMessageType } from '../../protocol';
import { ConnectionRegistry } from '../../registry/connection-registry.service';
import { Session } from '../../registry/session';
import { RoomDto, RoomPublishDto } from '../dto/room.dto';
import { MessageHandler } from '../message-handler.decorator';
import { PresenceService } from '../presence.service';
import { assertRoomAccess } from '../room-access';

@Injectable()
export class RoomHandler {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly fanout: FanoutService,
    private readonly presence: PresenceService,
  ) {}

  @MessageHandler(ClientMessageType.RoomJoin, RoomDto)
  join(session: Session, { room }: RoomDto) {
    assertRoomAccess(session, room);
    if (this.registry.join(session, room)) this.presence.announceJoin(session, room);
    return { room };
  }

  /** Idempotent: leaving a room the session is not in is acknowledged too. */
  @MessageHandler(ClientMessageType.RoomLeave, RoomDto)
  leave(session: Session, { room }: RoomDto) {
    if (this.registry.leave(session, room)) this.presence.announceLeave(session, room);
    return { room };
  }

  /** Publishing needs the join permission, not membership; every member gets it, the sender too. */
  @MessageHandler(ClientMessageType.RoomPublish, RoomPublishDto)
  publish(session: Session, { room, body }: RoomPublishDto): PublishAck {
    assertRoomAccess(session, room);
    return this.publishAs(session.userId, room, body);
  }

  /** Also used by the admin API, with `from: "system"`. */
  publishAs(from: string, room: string, body: unknown): PublishAck {
    const data: RoomMessageData = { room, messageId: randomUUID(), from, body, ts: Date.now() };
    this.fanout.toRoom(room, encodeFrame({ type: ServerMessageType.Message, data }));
    return { messageId: data.messageId, ts: data.ts };
  }
}
