import { Injectable } from '@nestjs/common';
import { ClientMessageType } from '../../protocol';
import { Session } from '../../registry/session';
import { RoomDto } from '../dto/room.dto';
import { MessageHandler } from '../message-handler.decorator';
import { PresenceService } from '../presence.service';
import { assertRoomAccess } from '../room-access';

@Injectable()
export class PresenceHandler {
  constructor(private readonly presence: PresenceService) {}

  @MessageHandler(ClientMessageType.PresenceGet, RoomDto)
  get(session: Session, { room }: RoomDto) {
    assertRoomAccess(session, room);
    return { room, members: this.presence.members(room) };
  }
}
