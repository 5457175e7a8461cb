import { Injectable } from '@nestjs/common';
import { UserStreamService } from '../../delivery/user-stream.service';
import { ClientMessageType, ErrorCode, UserRecoverAck } from '../../protocol';
import { Session } from '../../registry/session';
import { UserRecoverDto } from '../dto/user-recover.dto';
import { MessageError } from '../message-error';
import { MessageHandler } from '../message-handler.decorator';
import { fromStore } from '../store-access';

/** `user.recover`: the direct messages a session missed, from its user's stream (docs/protocol.md, section 10.1). */
@Injectable()
export class UserStreamHandler {
  constructor(private readonly streams: UserStreamService) {}

  @MessageHandler(ClientMessageType.UserRecover, UserRecoverDto, { errors: [ErrorCode.Unavailable] })
  async recover(session: Session, { since }: UserRecoverDto): Promise<UserRecoverAck> {
    const ack = await fromStore(() => this.streams.recover(session, since));
    if (!ack) throw new MessageError(ErrorCode.Unavailable, 'a store this request needs is unavailable; nothing was done, retry later');
    return ack;
  }
}
