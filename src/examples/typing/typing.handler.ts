import { Inject, Injectable } from '@nestjs/common';
import { BUS, Bus } from '../../bus/bus';
import { IsBoolean } from 'class-validator';
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
 * stopped typing, as `{"type":"typing","data":{room,userId,typing}}`, on every node. Only members
 * may send it.
 */
@Injectable()
export class TypingHandler {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  @MessageHandler('typing', TypingDto, { errors: [ErrorCode.Forbidden] })
  async typing(session: Session, { room, typing }: TypingDto): Promise<{ room: string }> {
    if (!session.rooms.has(room)) throw new MessageError(ErrorCode.Forbidden, 'join the room first');
    await this.bus.roomEvent(room, encodeFrame({ type: 'typing', data: { room, userId: session.userId, typing } }), session.id);
    // Not a count of those notified: the other nodes deliver it, after this ack.
    return { room };
  }
}
