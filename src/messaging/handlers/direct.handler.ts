import { Injectable } from '@nestjs/common';
import { ClientMessageType, DirectAck, ErrorCode } from '../../protocol';
import { Session } from '../../registry/session';
import { DirectMessagesService } from '../direct-messages.service';
import { DirectSendDto } from '../dto/direct-send.dto';
import { MessageHandler } from '../message-handler.decorator';

@Injectable()
export class DirectHandler {
  constructor(private readonly messages: DirectMessagesService) {}

  @MessageHandler(ClientMessageType.DirectSend, DirectSendDto, { errors: [ErrorCode.Unavailable] })
  send(session: Session, { to, body }: DirectSendDto): Promise<DirectAck> {
    return this.messages.send(session.userId, to, body);
  }
}
