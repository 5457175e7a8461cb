import { Injectable } from '@nestjs/common';
import { IsBoolean } from 'class-validator';
import { FanoutService } from '../../delivery/fanout.service';
import { MessageError } from '../../messaging/message-error';
import { MessageHandler } from '../../messaging/message-handler.decorator';
import { IsRoomName } from '../../messaging/dto/validators';
import { encodeFrame, ErrorCode } from '../../protocol';
import { Session } from '../../registry/session';

export class TypingDto {
  @IsRoomName()
  room!: string;

  @IsBoolean()
  typing!: boolean;
}

/**
 * Example extension: `typing {room, typing}` tells the room's other members that a user started or
 * stopped typing, as `{"type":"typing","data":{room,userId,typing}}`. Only members may send it.
 */
@Injectable()
export class TypingHandler {
  constructor(private readonly fanout: FanoutService) {}

  @MessageHandler('typing', TypingDto)
  typing(session: Session, { room, typing }: TypingDto) {
    if (!session.rooms.has(room)) throw new MessageError(ErrorCode.Forbidden, 'join the room first');
    const notified = this.fanout.toRoom(room, encodeFrame({ type: 'typing', data: { room, userId: session.userId, typing } }), session);
    return { notified };
  }
}
