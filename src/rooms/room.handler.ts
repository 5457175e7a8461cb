import { Inject, Injectable } from '@nestjs/common';
import { HISTORY_STORE, HistoryStore } from '../history/history-store';
import { ClientMessageType, HISTORY_PAGE_DEFAULT, HistoryPage, JoinAck, LeaveAck, PublishAck } from '../protocol';
import { Session } from '../registry/session';
import { RoomHistoryDto } from './dto/room-history.dto';
import { RoomJoinDto } from './dto/room-join.dto';
import { RoomDto, RoomPublishDto } from './dto/room.dto';
import { fromStore } from '../messaging/store-access';
import { MessageHandler } from '../messaging/message-handler.decorator';
import { RoomAuthorizationService } from './room-authorization.service';
import { RoomPublisherService } from './room-publisher.service';
import { RoomSubscriptionsService } from './room-subscriptions.service';

@Injectable()
export class RoomHandler {
  /**
   * Joins waiting for the room authorizer, by session and room: a leave sent after such a join
   * waits for it, so the two take effect in the order they were sent.
   */
  private readonly asking = new WeakMap<Session, Map<string, Promise<JoinAck>>>();

  constructor(
    private readonly subscriptions: RoomSubscriptionsService,
    private readonly publisher: RoomPublisherService,
    private readonly authorization: RoomAuthorizationService,
    @Inject(HISTORY_STORE) private readonly history: HistoryStore,
  ) {}

  @MessageHandler(ClientMessageType.RoomJoin, RoomJoinDto, { errors: ['FORBIDDEN', 'UNAVAILABLE'] })
  join(session: Session, { room, since }: RoomJoinDto): Promise<JoinAck> {
    const asking = this.authorization.assertJoin(session, room);
    if (!asking) return this.subscriptions.join(session, room, since);
    const joined = asking.then(() => this.subscriptions.join(session, room, since));
    let joins = this.asking.get(session);
    if (!joins) this.asking.set(session, (joins = new Map()));
    joins.set(room, joined);
    const forget = () => {
      if (joins.get(room) === joined) joins.delete(room);
    };
    joined.then(forget, forget);
    return joined;
  }

  /** Idempotent: leaving a room the session is not in is acknowledged too. */
  @MessageHandler(ClientMessageType.RoomLeave, RoomDto)
  leave(session: Session, { room }: RoomDto): LeaveAck | Promise<LeaveAck> {
    const leave = (): LeaveAck => {
      this.subscriptions.leave(session, room);
      return { room };
    };
    const joining = this.asking.get(session)?.get(room);
    return joining ? joining.then(leave, leave) : leave();
  }

  /** Publishing needs the join permission, not membership; every member gets it, the sender too. */
  @MessageHandler(ClientMessageType.RoomPublish, RoomPublishDto, { errors: ['FORBIDDEN', 'UNAVAILABLE'] })
  publish(session: Session, { room, body }: RoomPublishDto): Promise<PublishAck> {
    const asking = this.authorization.assertPublish(session, room);
    if (asking) return asking.then(() => this.publisher.publish(session.userId, room, body));
    return this.publisher.publish(session.userId, room, body);
  }

  /** Pages backwards: pass the first offset of a page as `before` to get the one before it. */
  @MessageHandler(ClientMessageType.RoomHistory, RoomHistoryDto, { errors: ['FORBIDDEN', 'UNAVAILABLE'] })
  async page(session: Session, { room, limit, before }: RoomHistoryDto): Promise<HistoryPage> {
    await this.authorization.assertJoin(session, room);
    return fromStore(() => this.history.page(room, limit ?? HISTORY_PAGE_DEFAULT, before));
  }
}
