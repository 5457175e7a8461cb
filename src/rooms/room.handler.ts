import { Inject, Injectable } from '@nestjs/common';
import { HISTORY_STORE, HistoryStore } from '../history/history-store';
import { ClientMessageType, HISTORY_PAGE_DEFAULT, HistoryPage, JoinAck, LeaveAck, PublishAck } from '../protocol';
import { Session } from '../registry/session';
import { RoomHistoryDto } from './dto/room-history.dto';
import { RoomJoinDto } from './dto/room-join.dto';
import { RoomDto, RoomPublishDto } from './dto/room.dto';
import { fromStore } from '../messaging/store-access';
import { MessageHandler } from '../messaging/message-handler.decorator';
import { assertRoomAccess } from './room-access';
import { RoomPublisherService } from './room-publisher.service';
import { RoomSubscriptionsService } from './room-subscriptions.service';

@Injectable()
export class RoomHandler {
  constructor(
    private readonly subscriptions: RoomSubscriptionsService,
    private readonly publisher: RoomPublisherService,
    @Inject(HISTORY_STORE) private readonly history: HistoryStore,
  ) {}

  @MessageHandler(ClientMessageType.RoomJoin, RoomJoinDto, { errors: ['FORBIDDEN', 'UNAVAILABLE'] })
  join(session: Session, { room, since }: RoomJoinDto): Promise<JoinAck> {
    assertRoomAccess(session, room);
    return this.subscriptions.join(session, room, since);
  }

  /** Idempotent: leaving a room the session is not in is acknowledged too. */
  @MessageHandler(ClientMessageType.RoomLeave, RoomDto)
  leave(session: Session, { room }: RoomDto): LeaveAck {
    this.subscriptions.leave(session, room);
    return { room };
  }

  /** Publishing needs the join permission, not membership; every member gets it, the sender too. */
  @MessageHandler(ClientMessageType.RoomPublish, RoomPublishDto, { errors: ['FORBIDDEN', 'UNAVAILABLE'] })
  publish(session: Session, { room, body }: RoomPublishDto): Promise<PublishAck> {
    assertRoomAccess(session, room);
    return this.publisher.publish(session.userId, room, body);
  }

  /** Pages backwards: pass the first offset of a page as `before` to get the one before it. */
  @MessageHandler(ClientMessageType.RoomHistory, RoomHistoryDto, { errors: ['FORBIDDEN', 'UNAVAILABLE'] })
  page(session: Session, { room, limit, before }: RoomHistoryDto): Promise<HistoryPage> {
    assertRoomAccess(session, room);
    return fromStore(() => this.history.page(room, limit ?? HISTORY_PAGE_DEFAULT, before));
  }
}
