import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { BUS, Bus } from '../../bus/bus';
import { PRESENCE_STORE, PresenceStore } from '../../presence/presence-store';
import { ClientMessageType, DirectAck, DirectMessageData, encodeFrame, ServerMessageType } from '../../protocol';
import { Session } from '../../registry/session';
import { DirectSendDto } from '../dto/direct-send.dto';
import { fromStore } from '../store-access';
import { MessageHandler } from '../message-handler.decorator';

@Injectable()
export class DirectHandler {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(PRESENCE_STORE) private readonly directory: PresenceStore,
  ) {}

  /** `delivered` counts the recipient's sessions (on every node) it was sent to; 0 when offline. */
  @MessageHandler(ClientMessageType.DirectSend, DirectSendDto)
  send(session: Session, { to, body }: DirectSendDto): Promise<DirectAck> {
    return this.sendAs(session.userId, to, body);
  }

  async sendAs(from: string, to: string, body: unknown): Promise<DirectAck> {
    const data: DirectMessageData = { from, body, messageId: randomUUID(), ts: Date.now() };
    const delivered = await fromStore(() => this.directory.countForUser(to));
    if (delivered > 0) await fromStore(() => this.bus.toUser(to, encodeFrame({ type: ServerMessageType.Direct, data })));
    return { messageId: data.messageId, delivered };
  }
}
