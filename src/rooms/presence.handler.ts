import { Injectable } from '@nestjs/common';
import { ClientMessageType, PresenceAck } from '../protocol';
import { Session } from '../registry/session';
import { RoomDto } from './dto/room.dto';
import { MessageHandler } from '../messaging/message-handler.decorator';
import { fromStore } from '../messaging/store-access';
import { PresenceService } from '../presence/presence.service';
import { RoomAuthorizationService } from './room-authorization.service';

@Injectable()
export class PresenceHandler {
  constructor(
    private readonly presence: PresenceService,
    private readonly authorization: RoomAuthorizationService,
  ) {}

  @MessageHandler(ClientMessageType.PresenceGet, RoomDto, { errors: ['FORBIDDEN', 'UNAVAILABLE'] })
  async get(session: Session, { room }: RoomDto): Promise<PresenceAck> {
    await this.authorization.assertJoin(session, room);
    return { room, members: await fromStore(() => this.presence.members(room)) };
  }
}
