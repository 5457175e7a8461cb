import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { FanoutService } from '../../delivery/fanout.service';
import { ClientMessageType, DirectAck, DirectMessageData, encodeFrame, ServerMessageType } from '../../protocol';
import { Session } from '../../registry/session';
import { DirectSendDto } from '../dto/direct-send.dto';
import { MessageHandler } from '../message-handler.decorator';

@Injectable()
export class DirectHandler {
  constructor(private readonly fanout: FanoutService) {}

  /** `delivered` counts the recipient's sessions reached; 0 when the user is offline. */
  @MessageHandler(ClientMessageType.DirectSend, DirectSendDto)
  send(session: Session, { to, body }: DirectSendDto): DirectAck {
    return this.sendAs(session.userId, to, body);
  }

  sendAs(from: string, to: string, body: unknown): DirectAck {
    const data: DirectMessageData = { from, body, messageId: randomUUID(), ts: Date.now() };
    const delivered = this.fanout.toUser(to, encodeFrame({ type: ServerMessageType.Direct, data }));
    return { messageId: data.messageId, delivered };
  }
}
